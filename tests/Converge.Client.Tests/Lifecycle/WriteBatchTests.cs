using Converge.Client.Kernel;
using Converge.Client.Lifecycle;
using Converge.Core;
using Converge.Testing;

namespace Converge.Client.Tests.Lifecycle;

public sealed class WriteBatchTests
{
    private const string Tasks = """{"task":{"fields":{"title":{"type":"string"},"done":{"type":"long","counter":true},"tags":{"type":"string","cardinality":"many"}}}}""";

    [Fact]
    public async Task Batch_WritesInOrder_EachWithItsOwnResult_AndSyncsLikeSingleWrites()
    {
        await using var world = await SyncWorld.StartAsync();
        var writer = await world.OpenAsync("writer");
        var reader = await world.OpenAsync("reader");
        var changes = new List<ReplicaChange>();
        writer.Changed += (_, change) => changes.Add(change);
        Guid first = default, second = default;

        var results = await writer.WriteBatchAsync(batch =>
        {
            batch.DefineSchema(SyncWorld.Schema(Tasks));
            first = batch.Create("task", Json.Parse("""{"title":"one"}"""));
            second = batch.Create("task", Json.Parse("""{"title":"two"}"""));
            batch.Increment("task", first, "done", 2);
            batch.Add("task", second, "tags", Json.Parse("\"red\""));
            batch.Create("nowhere", Json.Parse("""{"x":1}"""));
            batch.Update("task", second, Json.Parse("""{"title":"two, renamed"}"""));
        });

        results.Count.ShouldBe(7);
        results[5].Rejection!.Code.ShouldBe(RejectionCodes.UnknownCollection);
        results.Where((_, i) => i != 5).ShouldAllBe(r => !r.IsRejected);
        results.Select(r => r.ActionId).Distinct().Count().ShouldBe(7);
        (await writer.GetStatusAsync()).Pending.ShouldBe(6);
        (await writer.GetRejectionsAsync()).ShouldHaveSingleItem().Action.Id.ShouldBe(results[5].ActionId);
        changes.ShouldHaveSingleItem().Records.Select(r => r.Id).Distinct().OrderBy(id => id).ShouldBe(new[] { first, second }.OrderBy(id => id));

        await writer.SyncAsync();
        await reader.SyncAsync();

        (await writer.WaitForConfirmationAsync(results[6].ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
        var seen = (await reader.GetAsync("task", second)).ShouldNotBeNull();
        seen.GetProperty("title").GetString().ShouldBe("two, renamed");
        seen.GetProperty("tags")[0].GetString().ShouldBe("red");
        (await reader.GetAsync("task", first)).ShouldNotBeNull().GetProperty("done").GetInt64().ShouldBe(2);
    }

    [Fact]
    public async Task Batch_ThatFailsBeforeCommit_LeavesNothingBehind()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one", configure: o => o.TestHooks = new FaultHooks(point =>
        {
            if (point == ReplicaTestPoint.WriteCommit)
            {
                throw new IOException("power cut");
            }
        }));
        Guid record = default;

        await Should.ThrowAsync<IOException>(() => replica.WriteBatchAsync(batch =>
        {
            batch.DefineSchema(SyncWorld.Schema(Tasks));
            record = batch.Create("task", Json.Parse("""{"title":"lost together"}"""));
        }));

        (await replica.GetStatusAsync()).Pending.ShouldBe(0);
        (await replica.GetRejectionsAsync()).ShouldBeEmpty();
        (await replica.GetSchemaAsync()).Collections.ShouldBeEmpty();
        await Should.ThrowAsync<ArgumentException>(() => replica.WriteBatchAsync(batch => batch.Update("task", record, Json.Parse("{}"))));
        (await replica.WriteBatchAsync(_ => { })).ShouldBeEmpty();
    }
}
