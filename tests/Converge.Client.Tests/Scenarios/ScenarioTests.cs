using System.Text.Json;
using Converge.Client.Lifecycle;
using Converge.Client.Sync;
using Converge.Client.Transport;
using Converge.Core;
using Converge.Core.Errors;
using Converge.Core.Merge;
using Converge.Testing;

namespace Converge.Client.Tests.Scenarios;

/// <summary>The scenarios of docs/guarantees.md (section 9), end to end: a real server on 127.0.0.1 and real replica files.</summary>
public sealed class ScenarioTests
{
    private const string People = """
        {"person":{"fields":{"name":{"type":"string"},"age":{"type":"long"},"email":{"type":"string","unique":"value"},"visits":{"type":"long","counter":true}}},
         "note":{"owned":true,"fields":{"text":{"type":"string"}}}}
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Scenario01_Grisha_TwoPeopleUnlessNameIsUniqueIdentity(bool nameIsIdentity)
    {
        await using var world = await SyncWorld.StartAsync();
        var one = await world.OpenAsync("one");
        var two = await world.OpenAsync("two");
        var name = nameIsIdentity ? """{"type":"string","unique":"identity"}""" : """{"type":"string"}""";
        await one.DefineSchemaAsync(SyncWorld.Schema("{\"person\":{\"fields\":{\"name\":" + name + ",\"age\":{\"type\":\"long\"}}}}"));
        await one.CreateAsync("person", Json.Parse("""{"name":"Grisha","age":30}"""));
        await two.DefineSchemaAsync(SyncWorld.Schema("{\"person\":{\"fields\":{\"name\":" + name + ",\"ssn\":{\"type\":\"long\",\"unique\":\"identity\"}}}}"));
        await two.CreateAsync("person", Json.Parse("""{"name":"Grisha","ssn":123}"""));

        await one.SyncAsync();
        await two.SyncAsync();
        await one.SyncAsync();

        var export = await world.ServerExportAsync();
        (await one.ExportAsync()).ShouldBe(export);
        (await two.ExportAsync()).ShouldBe(export);
        var people = (await one.QueryAsync("person")).Select(p => Without(p, "id")).ToList();
        if (nameIsIdentity)
        {
            people.ShouldBe(["""{"age":30,"name":"Grisha","ssn":123}"""]);
        }
        else
        {
            people.ShouldBe(["""{"age":30,"name":"Grisha"}""", """{"name":"Grisha","ssn":123}"""], ignoreOrder: true);
        }
    }

    [Fact]
    public async Task Scenario02_SameFieldEditedOfflineOnTwo_LaterStampWinsEverywhere()
    {
        await using var world = await SyncWorld.StartAsync();
        var (one, two, id) = await SharedRecordAsync(world);

        await one.UpdateAsync("person", id, Json.Parse("""{"name":"from one"}"""));
        await Task.Delay(20);
        await two.UpdateAsync("person", id, Json.Parse("""{"name":"from two"}"""));

        await world.ConvergeAsync(one, two);
        (await one.GetAsync("person", id))!.Value.GetProperty("name").GetString().ShouldBe("from two");
    }

    [Fact]
    public async Task Scenario03_StaleOfflineEditArrivesLate_NewerValueStays()
    {
        await using var world = await SyncWorld.StartAsync();
        var (stale, fresh, id) = await SharedRecordAsync(world);
        await stale.UpdateAsync("person", id, Json.Parse("""{"name":"last week"}"""));
        await Task.Delay(20);
        await fresh.UpdateAsync("person", id, Json.Parse("""{"name":"this morning"}"""));
        await fresh.SyncAsync();

        var report = await stale.SyncAsync();

        await world.ConvergeAsync(stale, fresh);
        (await stale.GetAsync("person", id))!.Value.GetProperty("name").GetString().ShouldBe("this morning");
        report.Conflicts.ShouldContain(c => c.Kind == ConflictKind.LostToNewerWrite && c.Field == "name");
        var inbox = (await stale.GetConflictsAsync()).ShouldHaveSingleItem();
        inbox.Attempted!.Value.GetString().ShouldBe("last week");
        inbox.Winning!.Value.GetString().ShouldBe("this morning");
    }

    [Fact]
    public async Task Scenario04_DeleteAgainstOfflineUpdate_StaysDeletedAndUpdaterGetsAConflict()
    {
        await using var world = await SyncWorld.StartAsync();
        var (deleter, updater, id) = await SharedRecordAsync(world);
        await deleter.DeleteAsync("person", id);
        await deleter.SyncAsync();
        await Task.Delay(20);
        await updater.UpdateAsync("person", id, Json.Parse("""{"name":"still here?"}"""));

        var report = await updater.SyncAsync();

        await world.ConvergeAsync(deleter, updater);
        (await updater.GetAsync("person", id)).ShouldBeNull();
        report.Conflicts.ShouldContain(c => c.Kind == ConflictKind.RecordDeleted && c.Record == id);
        (await updater.GetConflictsAsync()).ShouldContain(c => c.Kind == ConflictKind.RecordDeleted);
    }

    [Fact]
    public async Task Scenario05_RejectedCreateAndQueuedUpdate_BothRejectedNothingMisapplied()
    {
        await using var world = await SyncWorld.StartAsync(o => o.MaxActionsPerPush = 1000);
        var (first, second, _) = await SharedRecordAsync(world);
        await first.CreateAsync("person", Json.Parse("""{"name":"Ann","email":"ann@example.com"}"""));
        await first.SyncAsync();
        var create = await second.CreateAsync("person", Json.Parse("""{"name":"Impostor","email":"ann@example.com"}"""));
        var update = await second.UpdateAsync("person", create.Record!.Value, Json.Parse("""{"name":"Impostor 2"}"""));

        var report = await second.SyncAsync();

        report.Rejected.Select(r => r.ActionId).ShouldBe([create.ActionId, update.ActionId], ignoreOrder: true);
        report.Rejected.First(r => r.ActionId == create.ActionId).Code.ShouldBe(RejectionCodes.UniqueViolation);
        var rejections = await second.GetRejectionsAsync();
        rejections.Select(r => r.Action.Id).ShouldBe([create.ActionId, update.ActionId], ignoreOrder: true);
        (await second.GetStatusAsync()).Rejections.ShouldBe(2);
        (await first.GetStatusAsync()).Rejections.ShouldBe(0);
        (await second.GetActionStateAsync(update.ActionId)).Status.ShouldBe(ActionStatus.Rejected);
        (await second.GetAsync("person", create.Record.Value)).ShouldBeNull();
        var export = await world.ConvergeAsync(first, second);
        export.ShouldNotContain("Impostor");
    }

    [Fact]
    public async Task Scenario06_PendingWritesStayOnTopOfPulledOnes_AndConfirmedLeaveTheQueue()
    {
        await using var world = await SyncWorld.StartAsync();
        var (mine, theirs, id) = await SharedRecordAsync(world);
        await theirs.CreateAsync("person", Json.Parse("""{"name":"Bob"}"""));
        await theirs.UpdateAsync("person", id, Json.Parse("""{"age":40}"""));
        await theirs.SyncAsync();
        await Task.Delay(20);
        var own = await mine.UpdateAsync("person", id, Json.Parse("""{"name":"mine","age":41}"""));

        var step = await mine.SyncStepAsync();

        step.Kind.ShouldBe(SyncKind.Merged);
        step.Pulled.ShouldBe(2);
        var record = (await mine.GetAsync("person", id))!.Value;
        record.GetProperty("name").GetString().ShouldBe("mine");
        record.GetProperty("age").GetInt64().ShouldBe(41);
        (await mine.QueryAsync("person")).Count.ShouldBe(2);
        (await mine.GetActionStateAsync(own.ActionId)).Status.ShouldBe(ActionStatus.Pending);

        await mine.SyncAsync();
        (await mine.GetActionStateAsync(own.ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
        (await mine.GetStatusAsync()).Pending.ShouldBe(0);
        await world.ConvergeAsync(mine, theirs);
    }

    [Fact]
    public async Task Scenario07_NewClientBootstrapsFromSnapshotPlusTail_AndMatches()
    {
        await using var world = await SyncWorld.StartAsync();
        var (one, _, _) = await SharedRecordAsync(world);
        for (var i = 0; i < 20; i++)
        {
            await one.CreateAsync("person", Json.Parse($$"""{"name":"p{{i}}","visits":{{i}}}"""));
        }

        await one.SyncAsync();
        await world.Host.Maintenance.RunOnceAsync(forceSnapshot: true);
        var snapshot = (await world.Host.Store.GetLatestSnapshotAsync(SyncWorld.Stream))!;
        await one.CreateAsync("person", Json.Parse("""{"name":"tail"}"""));
        await one.SyncAsync();
        var late = await world.OpenAsync("late");
        await late.DefineSchemaAsync(SyncWorld.Schema(People));
        (await late.CreateAsync("person", Json.Parse("""{"name":"written before the first sync"}"""))).IsRejected.ShouldBeFalse();

        var report = await late.SyncAsync();

        report.SnapshotIndex.ShouldBe(snapshot.Index);
        var export = await world.ConvergeAsync(one, late);
        export.ShouldContain("tail");
        export.ShouldContain("written before the first sync");
        (await late.GetStatusAsync()).Pending.ShouldBe(0);
    }

    [Fact]
    public async Task Scenario08_ChangingAnotherPrincipalsOwnedRecord_IsRejectedAndChangesNothing()
    {
        await using var world = await SyncWorld.StartAsync();
        var alice = await world.OpenAsync("alice", "alice");
        var mallory = await world.OpenAsync("mallory", "mallory");
        await alice.DefineSchemaAsync(SyncWorld.Schema(People));
        var note = await alice.CreateAsync("note", Json.Parse("""{"text":"alice's note"}"""));
        await alice.SyncAsync();
        await mallory.SyncAsync();

        // Mallory's replica knows its principal from the server's pull answers, so the engine refuses the write at once,
        // as the server would (the server's own refusal is tested over HTTP in the server's tests).
        var attempt = await mallory.UpdateAsync("note", note.Record!.Value, Json.Parse("""{"text":"mallory was here"}"""));
        var report = await mallory.SyncAsync();

        attempt.Rejection.ShouldNotBeNull().Code.ShouldBe(RejectionCodes.NotOwner);
        report.Pushed.ShouldBe(0);
        (await mallory.GetActionStateAsync(attempt.ActionId)).Status.ShouldBe(ActionStatus.Rejected);
        (await mallory.GetRejectionsAsync()).ShouldHaveSingleItem().Code.ShouldBe(RejectionCodes.NotOwner);
        var export = await world.ConvergeAsync(alice, mallory);
        export.ShouldContain("alice's note");
        export.ShouldNotContain("mallory was here");
    }

    [Fact]
    public async Task Scenario09_ActionStampedInTheFuture_IsRejectedForDrift_ThenRestampedAndAccepted()
    {
        await using var world = await SyncWorld.StartAsync();
        var fast = await world.OpenAsync("fast", configure: o => o.Time = new OffsetTimeProvider(TimeSpan.FromMinutes(10)));
        await fast.DefineSchemaAsync(SyncWorld.Schema(People));
        var write = await fast.CreateAsync("person", Json.Parse("""{"name":"from the future"}"""));

        var report = await fast.SyncAsync();

        report.Restamped.ShouldBeGreaterThan(0);
        report.Rejected.ShouldBeEmpty();
        (await fast.GetActionStateAsync(write.ActionId)).Status.ShouldBe(ActionStatus.Confirmed);
        (await fast.GetRejectionsAsync()).ShouldBeEmpty();
        var logged = (await fast.GetLogAsync()).Single(l => l.Action.Id == write.ActionId);
        (logged.Action.Hlc.Physical - TimeProvider.System.GetUtcNow()).ShouldBeLessThan(TimeSpan.FromSeconds(5));
        await world.ConvergeAsync(fast);
    }

    [Fact]
    public async Task Scenario11_PushWhoseReplyWasLost_IsRetriedAndLoggedExactlyOnce()
    {
        await using var world = await SyncWorld.StartAsync();
        LossyTransport? lossy = null;
        var replica = await world.OpenAsync("lossy", configure: o =>
        {
            lossy = new LossyTransport(new HttpSyncTransport(new HttpSyncTransportOptions { Server = world.Host.BaseAddress, Stream = SyncWorld.Stream, Token = o.Token!, ClientId = Guid.CreateVersion7() }));
            o.Transport = lossy;
        });
        await replica.DefineSchemaAsync(SyncWorld.Schema(People));
        var ann = await replica.CreateAsync("person", Json.Parse("""{"name":"Ann","visits":1}"""));
        await replica.IncrementAsync("person", ann.Record!.Value, "visits", 5);
        lossy!.LoseNextPushReplies = 1;
        await Should.ThrowAsync<TransportException>(() => replica.SyncAsync());

        // The retry reaches the server before the replica pulls its own actions back: the server answers duplicate.
        lossy.EmptyNextPulls = 1;
        var retry = await replica.SyncStepAsync();
        var report = await replica.SyncAsync();

        retry.Accepted.Select(a => a.Index).ShouldBe([1L, 2L, 3L]);
        report.Rejected.ShouldBeEmpty();
        foreach (var accepted in retry.Accepted)
        {
            var state = await replica.GetActionStateAsync(accepted.ActionId);
            (state.Status, state.Index).ShouldBe((ActionStatus.Confirmed, accepted.Index));
        }

        var log = await Wire.PullAsync(world.Host.Client(await world.Host.TokenAsync("auditor", SyncWorld.Stream)), SyncWorld.Stream, 0);
        log.Actions.Count.ShouldBe(3);
        log.Actions.Select(a => a.Id).Distinct().Count().ShouldBe(3);
        var export = await world.ConvergeAsync(replica);
        export.ShouldContain("\"visits\":6");
    }

    /// <summary>Two synced replicas sharing the schema and one record.</summary>
    private static async Task<(Replica One, Replica Two, Guid Id)> SharedRecordAsync(SyncWorld world)
    {
        var one = await world.OpenAsync("one");
        var two = await world.OpenAsync("two");
        await one.DefineSchemaAsync(SyncWorld.Schema(People));
        var created = await one.CreateAsync("person", Json.Parse("""{"name":"shared"}"""));
        await one.SyncAsync();
        await two.SyncAsync();
        return (one, two, created.Record!.Value);
    }

    private static string Without(JsonElement record, string member) =>
        "{" + string.Join(',', record.EnumerateObject().Where(p => p.Name != member).Select(p => $"\"{p.Name}\":{p.Value.GetRawText()}")) + "}";
}
