using Converge.Client.Kernel;
using Converge.Testing;

namespace Converge.Client.Tests.Kernel;

/// <summary>Reads run on read-only connections of their own: off the caller's thread, beside writes, sync steps and each other.</summary>
public sealed class ReplicaReadTests
{
    private const string Notes = """{"note":{"fields":{"title":{"type":"string"}}},"other":{"fields":{"n":{"type":"long"}}}}""";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Read_WhileASyncStepIsHeldInItsTransaction_CompletesWithTheStateBeforeIt()
    {
        await using var world = await SyncWorld.StartAsync();
        using var hold = new PointHold(ReplicaTestPoint.PullCommit);
        var writer = await world.OpenAsync("writer");
        var reader = await world.OpenAsync("reader", configure: o => o.TestHooks = hold);
        await writer.DefineSchemaAsync(SyncWorld.Schema(Notes));
        var note = (await writer.CreateAsync("note", Json.Parse("""{"title":"first"}"""))).Record!.Value;
        await writer.SyncAsync();
        await reader.SyncAsync();
        await writer.UpdateAsync("note", note, Json.Parse("""{"title":"second"}"""));
        await writer.SyncAsync();

        hold.Arm();
        // On the thread pool: the held step blocks the thread it runs on, never one of the test runner's.
        var step = Task.Run(() => reader.SyncStepAsync());
        await hold.Entered;
        try
        {
            // The step holds the write lock, its pull applied and not committed: the read sees the last commit.
            var during = await reader.GetAsync("note", note).WaitAsync(Patience);
            during!.Value.GetProperty("title").GetString().ShouldBe("first");
            (await reader.GetStatusAsync().WaitAsync(Patience)).Cursor.ShouldBe(2);
            (await reader.ExportAsync().WaitAsync(Patience)).ShouldContain("\"first\"");
        }
        finally
        {
            hold.Release();
        }

        await step;
        (await reader.GetAsync("note", note))!.Value.GetProperty("title").GetString().ShouldBe("second");
    }

    [Fact]
    public async Task Read_CalledOnAUiThread_ReturnsAtOnceAndRunsOffIt()
    {
        await using var world = await SyncWorld.StartAsync();
        using var hold = new PointHold(ReplicaTestPoint.ReadBegun);
        using var ui = new UiContext();
        var replica = await world.OpenAsync("ui", configure: o => o.TestHooks = hold);
        await replica.DefineSchemaAsync(SyncWorld.Schema(Notes));
        var note = (await replica.CreateAsync("note", Json.Parse("""{"title":"shown"}"""))).Record!.Value;

        hold.Arm();
        // The UI thread starts the read and gets its task back while the read is held: it never ran there.
        var (read, completedOnReturn) = await ui.RunAsync(() =>
        {
            var task = replica.GetAsync("note", note);
            return (task, task.IsCompleted);
        }).WaitAsync(Patience);
        await hold.Entered;
        hold.Release();

        completedOnReturn.ShouldBeFalse();
        hold.HeldThread.ShouldNotBe(ui.ThreadId);
        hold.HeldContext.ShouldNotBe(ui);
        (await read.WaitAsync(Patience))!.Value.GetProperty("title").GetString().ShouldBe("shown");
    }

    [Fact]
    public async Task TwoReads_OneHeldInItsTransaction_TheOtherCompletes()
    {
        await using var world = await SyncWorld.StartAsync();
        using var hold = new PointHold(ReplicaTestPoint.ReadBegun);
        var replica = await world.OpenAsync("two", configure: o => o.TestHooks = hold);
        await replica.DefineSchemaAsync(SyncWorld.Schema(Notes));
        var note = (await replica.CreateAsync("note", Json.Parse("""{"title":"both"}"""))).Record!.Value;

        hold.Arm();
        var first = replica.ExportAsync();
        await hold.Entered;
        try
        {
            (await replica.GetAsync("note", note).WaitAsync(Patience))!.Value.GetProperty("title").GetString().ShouldBe("both");
            (await replica.GetPendingAsync().WaitAsync(Patience)).Count.ShouldBe(2);
            first.IsCompleted.ShouldBeFalse();
        }
        finally
        {
            hold.Release();
        }

        (await first.WaitAsync(Patience)).ShouldContain("\"both\"");
    }

    [Fact]
    public async Task Read_HeldInItsTransaction_WritesCommitMeanwhile_AndTheReadSeesOneStateBeforeThem()
    {
        await using var world = await SyncWorld.StartAsync();
        using var hold = new PointHold(ReplicaTestPoint.ReadBegun);
        var replica = await world.OpenAsync("snapshot", configure: o => o.TestHooks = hold);
        await replica.DefineSchemaAsync(SyncWorld.Schema(Notes));
        var a = (await replica.CreateAsync("note", Json.Parse("""{"title":"a0"}"""))).Record!.Value;
        var b = (await replica.CreateAsync("note", Json.Parse("""{"title":"b0"}"""))).Record!.Value;

        hold.Arm();
        var query = replica.QueryAsync("note");
        await hold.Entered;
        try
        {
            // A write of both records, committed while the read holds its transaction open: a write never waits for a read.
            await replica.WriteBatchAsync(batch =>
            {
                batch.Update("note", a, Json.Parse("""{"title":"a1"}"""));
                batch.Update("note", b, Json.Parse("""{"title":"b1"}"""));
            }).WaitAsync(Patience);
        }
        finally
        {
            hold.Release();
        }

        // Neither torn nor newer: the read shows exactly the state when it began.
        var titles = (await query.WaitAsync(Patience)).Select(r => r.GetProperty("title").GetString()).Order().ToList();
        titles.ShouldBe(["a0", "b0"]);
        var after = (await replica.QueryAsync("note")).Select(r => r.GetProperty("title").GetString()).Order().ToList();
        after.ShouldBe(["a1", "b1"]);
    }

    [Fact]
    public async Task Dispose_WaitsForTheReadUnderWay_ThenReadsThrowObjectDisposed()
    {
        await using var world = await SyncWorld.StartAsync();
        using var hold = new PointHold(ReplicaTestPoint.ReadBegun);
        var replica = await world.OpenAsync("closing", configure: o => o.TestHooks = hold);
        await replica.DefineSchemaAsync(SyncWorld.Schema(Notes));

        hold.Arm();
        var export = replica.ExportAsync();
        await hold.Entered;
        var disposing = replica.DisposeAsync().AsTask();
        var readWhileClosing = replica.GetStatusAsync();
        disposing.IsCompleted.ShouldBeFalse();
        hold.Release();

        (await export.WaitAsync(Patience)).ShouldContain("\"note\"");
        await disposing.WaitAsync(Patience);
        (await Should.ThrowAsync<ObjectDisposedException>(readWhileClosing)).ObjectName.ShouldBe(typeof(Replica).FullName);
        (await Should.ThrowAsync<ObjectDisposedException>(() => replica.GetAsync("note", Guid.NewGuid()))).ObjectName.ShouldBe(typeof(Replica).FullName);
        (await Should.ThrowAsync<ObjectDisposedException>(() => replica.QueryAsync("note"))).ObjectName.ShouldBe(typeof(Replica).FullName);
    }
}
