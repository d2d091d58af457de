using System.Text.Json;
using Converge.Testing;

namespace Converge.Client.Tests.Sync;

/// <summary>A backlog of offline writes pushes at a cost that follows each step's batch, also while others write.</summary>
public sealed class BacklogPushTests
{
    private const string Notes = """{"note":{"fields":{"title":{"type":"string"},"n":{"type":"long"}}}}""";

    private const int Batch = 50;

    [Fact]
    public async Task SyncAsync_OfflineBacklog_ReadsNoJournalAndEachQueuedRowAFewTimesOnly()
    {
        await using var world = await SyncWorld.StartAsync();
        var mine = await world.OpenAsync("mine", configure: o => o.PushBatchSize = Batch);
        await mine.DefineSchemaAsync(SyncWorld.Schema(Notes));
        await WriteAsync(mine, 0, 400);
        var before = mine.PendingLoaded;

        await mine.SyncAsync();

        (await mine.GetStatusAsync()).Pending.ShouldBe(0);
        var read = (mine.PendingLoaded.Rows - before.Rows, mine.PendingLoaded.Journals - before.Journals);
        read.Item2.ShouldBe(0, "a push confirmed in place undoes nothing (learning the principal once re-applied the whole queue)");
        read.Item1.ShouldBeLessThanOrEqualTo(2 * 401, "each batch is read when taken and when confirmed, nothing more");
        var theirs = await world.OpenAsync("theirs");
        await world.ConvergeAsync(mine, theirs);
    }

    [Fact]
    public async Task SyncStep_BacklogWhileOthersWriteOtherRecords_ReadsNoJournalAndConverges()
    {
        await using var world = await SyncWorld.StartAsync();
        var mine = await world.OpenAsync("mine", configure: o => o.PushBatchSize = Batch);
        var theirs = await world.OpenAsync("theirs", "bob");
        await mine.DefineSchemaAsync(SyncWorld.Schema(Notes));
        await mine.SyncAsync();
        await theirs.SyncAsync();
        await WriteAsync(mine, 0, 300);
        var before = mine.PendingLoaded;
        var others = 0;

        for (var round = 0; round < 100 && (await mine.GetStatusAsync()).Pending > 0; round++)
        {
            await theirs.CreateAsync("note", Fields(10_000 + round));
            others++;
            await theirs.SyncAsync();

            // A step pushes only when its pull brought nothing: the first pulls theirs, the second pushes a batch.
            await mine.SyncStepAsync();
            await mine.SyncStepAsync();
        }

        (await mine.GetStatusAsync()).Pending.ShouldBe(0);
        (mine.PendingLoaded.Journals - before.Journals).ShouldBe(0, "others' actions on other records go on top of the queue, with no undo");
        await world.ConvergeAsync(mine, theirs);
        (await mine.QueryAsync("note")).Count.ShouldBe(150 + others);
    }

    [Fact]
    public async Task SyncStep_BacklogWhileOthersWriteQueuedRecords_RebasesThoseAndNewerWritesWin()
    {
        await using var world = await SyncWorld.StartAsync();
        var mine = await world.OpenAsync("mine", configure: o => o.PushBatchSize = Batch);
        var theirs = await world.OpenAsync("theirs", "bob");
        await mine.DefineSchemaAsync(SyncWorld.Schema(Notes));
        var shared = await mine.CreateAsync("note", Fields(-1));
        await mine.SyncAsync();
        await theirs.SyncAsync();
        var ids = await WriteAsync(mine, 0, 300);
        var id = shared.Record!.Value;
        await mine.UpdateAsync("note", id, Json.Parse("""{"title":"mine, older"}"""));
        await Task.Delay(20);
        var lastN = -1;

        for (var round = 0; round < 100 && (await mine.GetStatusAsync()).Pending > 0; round++)
        {
            // Alternately an action on a record the queue holds (beneath: the queue is undone and re-applied) and on a
            // record of their own (on top of the queue).
            if (round % 2 == 0)
            {
                await theirs.UpdateAsync("note", id, Json.Parse($$"""{"title":"theirs, newer","n":{{round}}}"""));
                lastN = round;
            }
            else
            {
                await theirs.CreateAsync("note", Fields(20_000 + round));
            }

            await theirs.SyncAsync();

            // A step pushes only when its pull brought nothing: the first pulls theirs, the second pushes a batch.
            await mine.SyncStepAsync();
            await mine.SyncStepAsync();
        }

        (await mine.GetStatusAsync()).Pending.ShouldBe(0);
        await world.ConvergeAsync(mine, theirs);
        var record = (await mine.GetAsync("note", id))!.Value;
        record.GetProperty("title").GetString().ShouldBe("theirs, newer");
        record.GetProperty("n").GetInt64().ShouldBe(lastN);
        (await mine.GetAsync("note", ids[^1]))!.Value.GetProperty("n").GetInt64().ShouldBe(299);
    }

    /// <summary>Creates and updates alternate, each update on a record created before; the ids of the created records.</summary>
    private static async Task<List<Guid>> WriteAsync(Replica replica, int first, int count)
    {
        var created = new List<Guid>();
        await replica.WriteBatchAsync(batch =>
        {
            for (var i = first; i < first + count; i++)
            {
                if (i % 2 == 0)
                {
                    created.Add(batch.Create("note", Fields(i)));
                }
                else
                {
                    batch.Update("note", created[^1], Json.Parse($$"""{"n":{{i}}}"""));
                }
            }
        });
        return created;
    }

    private static JsonElement Fields(long n) => Json.Parse($$"""{"title":"note {{n}}","n":{{n}}}""");
}
