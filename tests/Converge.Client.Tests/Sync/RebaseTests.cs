using Converge.Client.Sync;
using Converge.Core.Merge;
using Converge.Testing;

namespace Converge.Client.Tests.Sync;

/// <summary>Rebase: pending actions undone, pulled ones applied beneath, pending re-applied; the inbox says what lost.</summary>
public sealed class RebaseTests
{
    private const string People = """{"person":{"fields":{"name":{"type":"string"},"age":{"type":"long"},"tags":{"type":"string","cardinality":"many"},"visits":{"type":"long","counter":true}}}}""";

    [Fact]
    public async Task PendingAndPulledOnTheSameRecord_CounterAddsAndSetsMergeAndOwnFieldWinsWhenNewer()
    {
        await using var world = await SyncWorld.StartAsync();
        var (mine, theirs, id) = await SharedAsync(world);
        await theirs.IncrementAsync("person", id, "visits", 10);
        await theirs.AddAsync("person", id, "tags", Json.Parse("\"theirs\""));
        await theirs.UpdateAsync("person", id, Json.Parse("""{"age":50}"""));
        await theirs.SyncAsync();
        await Task.Delay(20);
        await mine.IncrementAsync("person", id, "visits", 1);
        await mine.AddAsync("person", id, "tags", Json.Parse("\"mine\""));
        await mine.UpdateAsync("person", id, Json.Parse("""{"age":51}"""));

        var step = await mine.SyncStepAsync();

        step.Kind.ShouldBe(SyncKind.Merged);
        var view = (await mine.GetAsync("person", id))!.Value;
        view.GetProperty("visits").GetInt64().ShouldBe(11);
        view.GetProperty("age").GetInt64().ShouldBe(51);
        view.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["mine", "theirs"]);
        (await mine.GetStatusAsync()).Pending.ShouldBe(3);
        await world.ConvergeAsync(mine, theirs);
        (await theirs.GetAsync("person", id))!.Value.GetProperty("visits").GetInt64().ShouldBe(11);
    }

    [Fact]
    public async Task PendingWriteOlderThanPulledOne_LosesAndTheInboxHoldsBothValues()
    {
        await using var world = await SyncWorld.StartAsync();
        var (mine, theirs, id) = await SharedAsync(world);
        var lost = await mine.UpdateAsync("person", id, Json.Parse("""{"name":"older"}"""));
        await Task.Delay(20);
        await theirs.UpdateAsync("person", id, Json.Parse("""{"name":"newer"}"""));
        await theirs.SyncAsync();

        var step = await mine.SyncStepAsync();

        (await mine.GetAsync("person", id))!.Value.GetProperty("name").GetString().ShouldBe("newer");
        var conflict = step.Conflicts.ShouldHaveSingleItem();
        conflict.Kind.ShouldBe(ConflictKind.LostToNewerWrite);
        var entry = (await mine.GetConflictsAsync()).ShouldHaveSingleItem();
        entry.ActionId.ShouldBe(lost.ActionId);
        entry.Record.ShouldBe(id);
        entry.Field.ShouldBe("name");
        entry.Attempted!.Value.GetString().ShouldBe("older");
        entry.Winning!.Value.GetString().ShouldBe("newer");

        var again = await mine.SyncAsync();
        again.Conflicts.ShouldBeEmpty();
        (await mine.GetConflictsAsync()).Count.ShouldBe(1);
        (await mine.GetStatusAsync()).Conflicts.ShouldBe(1);
        await mine.ClearConflictsAsync();
        (await mine.GetConflictsAsync()).ShouldBeEmpty();
        (await mine.GetStatusAsync()).Conflicts.ShouldBe(0, "a dismissed conflict is not counted");
    }

    [Fact]
    public async Task DismissedConflict_IsNotReportedAgainByLaterRebases()
    {
        await using var world = await SyncWorld.StartAsync();
        var (mine, theirs, id) = await SharedAsync(world);
        await mine.UpdateAsync("person", id, Json.Parse("""{"name":"older"}"""));
        await mine.UpdateAsync("person", id, Json.Parse("""{"age":7}"""));
        await Task.Delay(20);
        await theirs.UpdateAsync("person", id, Json.Parse("""{"name":"newer"}"""));
        await theirs.SyncAsync();
        (await mine.SyncStepAsync()).Conflicts.ShouldHaveSingleItem();
        await mine.ClearConflictsAsync();

        await theirs.CreateAsync("person", Json.Parse("""{"name":"unrelated"}"""));
        await theirs.SyncAsync();
        var rebased = await mine.SyncStepAsync();

        rebased.Kind.ShouldBe(SyncKind.Merged);
        rebased.Conflicts.ShouldBeEmpty();
        (await mine.GetConflictsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Rebase_CostFollowsTheActionsNotTheDatabase()
    {
        await using var world = await SyncWorld.StartAsync();
        var (mine, theirs, id) = await SharedAsync(world);
        for (var i = 0; i < 300; i++)
        {
            await theirs.CreateAsync("person", Json.Parse($$"""{"name":"bulk {{i}}"}"""));
        }

        await theirs.SyncAsync();
        await mine.SyncAsync();
        await mine.UpdateAsync("person", id, Json.Parse("""{"age":1}"""));
        await theirs.UpdateAsync("person", id, Json.Parse("""{"name":"x"}"""));
        await theirs.SyncAsync();

        var step = await mine.SyncStepAsync();

        step.Pulled.ShouldBe(1);
        (await mine.GetStatusAsync()).Pending.ShouldBe(1);
        await world.ConvergeAsync(mine, theirs);
    }

    private static async Task<(Replica Mine, Replica Theirs, Guid Id)> SharedAsync(SyncWorld world)
    {
        var mine = await world.OpenAsync("mine");
        var theirs = await world.OpenAsync("theirs");
        await mine.DefineSchemaAsync(SyncWorld.Schema(People));
        var record = await mine.CreateAsync("person", Json.Parse("""{"name":"shared","age":1,"visits":0}"""));
        await mine.SyncAsync();
        await theirs.SyncAsync();
        return (mine, theirs, record.Record!.Value);
    }
}
