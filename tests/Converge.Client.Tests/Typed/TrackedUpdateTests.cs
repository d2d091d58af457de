using System.Text.Json;
using System.Text.Json.Serialization;
using Converge.Client.Typed;

namespace Converge.Client.Tests.Typed;

/// <summary>
/// The tracked update <c>UpdateAsync(item)</c>: each change of an instance is sent exactly once, however saves race,
/// and whatever the caller edits while a save waits for the replica.
/// </summary>
public sealed class TrackedUpdateTests
{
    [Fact]
    public async Task UpdateAsync_TwoSavesOfOneInstanceWhileTheReplicaIsBusy_SendTheCounterDeltaOnce()
    {
        await using var world = await SyncWorld.StartAsync();
        using var hold = new WriteHold();
        var replica = await world.OpenAsync("one", configure: o => o.TestHooks = new FaultHooks(hold.Point));
        var accounts = replica.Collection<Account>();
        var id = (await accounts.InsertAsync(new Account { Name = "Ann", Points = 5 })).Record!.Value;
        var item = (await accounts.GetAsync(id))!;
        var busy = HoldAsync(hold, accounts);
        await hold.Entered;

        // Both saves are under way (each waits for the replica) before either is written.
        item.Points = 6;
        var first = accounts.UpdateAsync(item);
        var second = accounts.UpdateAsync(item);
        hold.Release();
        await busy;

        (await first).Concat(await second).ShouldHaveSingleItem().IsRejected.ShouldBeFalse();
        (await accounts.GetAsync(id))!.Points.ShouldBe(6);
        await replica.SyncAsync();
        (await world.ServerExportAsync()).ShouldBe(await replica.ExportAsync());
    }

    [Fact]
    public async Task UpdateAsync_InstanceEditedWhileItsSaveWaitsForTheReplica_TheNextSaveSendsTheEdit()
    {
        await using var world = await SyncWorld.StartAsync();
        using var hold = new WriteHold();
        var replica = await world.OpenAsync("one", configure: o => o.TestHooks = new FaultHooks(hold.Point));
        var accounts = replica.Collection<Account>();
        var id = (await accounts.InsertAsync(new Account { Name = "Ann", Points = 5 })).Record!.Value;
        var item = (await accounts.GetAsync(id))!;
        var busy = HoldAsync(hold, accounts);
        await hold.Entered;

        item.Points = 6;
        var save = accounts.UpdateAsync(item);
        item.Name = "Annie";
        hold.Release();
        await busy;
        (await save).ShouldHaveSingleItem();

        (await accounts.GetAsync(id))!.Name.ShouldBe("Ann");
        (await accounts.UpdateAsync(item)).ShouldHaveSingleItem();
        var saved = (await accounts.GetAsync(id))!;
        (saved.Name, saved.Points).ShouldBe(("Annie", 6L));
    }

    [Fact]
    public async Task UpdateAsync_ReadAndChanged_ChangedEditedWhileTheSaveWaits_TheNextSaveOfChangedSendsTheEdit()
    {
        await using var world = await SyncWorld.StartAsync();
        using var hold = new WriteHold();
        var replica = await world.OpenAsync("one", configure: o => o.TestHooks = new FaultHooks(hold.Point));
        var accounts = replica.Collection<Account>();
        var id = (await accounts.InsertAsync(new Account { Name = "Ann", Points = 5 })).Record!.Value;
        var read = (await accounts.GetAsync(id))!;
        var changed = new Account { Id = id, Name = "Ann", Points = 6 };
        var busy = HoldAsync(hold, accounts);
        await hold.Entered;

        var save = accounts.UpdateAsync(read, changed);
        changed.Name = "Annie";
        hold.Release();
        await busy;
        (await save).ShouldHaveSingleItem();

        (await accounts.UpdateAsync(changed)).ShouldHaveSingleItem();
        var saved = (await accounts.GetAsync(id))!;
        (saved.Name, saved.Points).ShouldBe(("Annie", 6L));
    }

    [Fact]
    public async Task UpdateAsync_WriteThrows_TheChangeStaysUnsaved_AndTheNextSaveSendsIt()
    {
        await using var world = await SyncWorld.StartAsync();
        using var hold = new WriteHold();
        var replica = await world.OpenAsync("one", configure: o => o.TestHooks = new FaultHooks(hold.Point));
        var accounts = replica.Collection<Account>();
        var id = (await accounts.InsertAsync(new Account { Name = "Ann", Points = 5 })).Record!.Value;
        var item = (await accounts.GetAsync(id))!;

        item.Points = 6;
        item.Name = "Annie";
        hold.FailNext();
        await Should.ThrowAsync<IOException>(() => accounts.UpdateAsync(item));

        (await accounts.UpdateAsync(item)).Count.ShouldBe(2);
        var saved = (await accounts.GetAsync(id))!;
        (saved.Name, saved.Points).ShouldBe(("Annie", 6L));
    }

    [Fact]
    public async Task UpdateAsync_ById_ChangeReturnsARecordWithAnotherId_IsRefused_AndWritesNothing()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var members = replica.Collection<Member>();
        var id = (await members.InsertAsync(new Member { Email = "a@example.com", Name = "A" })).Record!.Value;
        var other = (await members.InsertAsync(new Member { Email = "b@example.com", Name = "B" })).Record!.Value;

        var refused = await Should.ThrowAsync<ArgumentException>(() => members.UpdateAsync(id, m => m with { Id = other, Name = "C" }));

        refused.Message.ShouldContain(other.ToString("D"));
        (await replica.GetPendingAsync()).Count.ShouldBe(3);
        (await members.GetAsync(id))!.Name.ShouldBe("A");
        (await members.GetAsync(other))!.Name.ShouldBe("B");
    }

    [Fact]
    public async Task InsertAsync_ThenEditInPlace_UpdateAsyncSendsTheEdit_ToTheIdTheInsertGave()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var accounts = replica.Collection<Account>();
        var fresh = new Account { Name = "Ann", Points = 5 };
        var given = new Account { Id = Guid.CreateVersion7(), Name = "Bob" };

        var inserted = await accounts.InsertAsync(fresh);
        await accounts.InsertAsync(given);
        fresh.Name = "Annie";
        fresh.Points = 7;
        given.Tags.Add("vip");

        (await accounts.UpdateAsync(fresh)).Count.ShouldBe(2);
        (await accounts.UpdateAsync(given)).ShouldHaveSingleItem();
        fresh.Id.ShouldBe(Guid.Empty);
        var saved = (await accounts.GetAsync(inserted.Record!.Value))!;
        (saved.Name, saved.Points).ShouldBe(("Annie", 7L));
        (await accounts.GetAsync(given.Id))!.Tags.ShouldBe(["vip"]);
        (await accounts.QueryAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task BatchInsert_ThenEditInPlace_UpdateAsyncSendsTheEdit()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var accounts = replica.Collection<Account>();
        var item = new Account { Name = "Ann", Points = 5 };
        var id = Guid.Empty;
        await accounts.WriteBatchAsync(batch => id = batch.Insert(item));

        item.Points = 8;

        (await accounts.UpdateAsync(item)).ShouldHaveSingleItem().IsRejected.ShouldBeFalse();
        (await accounts.GetAsync(id))!.Points.ShouldBe(8);
        (await replica.GetPendingAsync()).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Collection_AskedAgainWithOtherJsonOptions_GetsThoseOptionsMapping()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var upper = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() }, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseUpper };

        var camel = replica.Collection<Account>("accounts");
        var shouting = replica.Collection<Account>("accounts", upper);

        camel.Schema.Fields.Keys.ShouldContain("points");
        shouting.Schema.Fields.Keys.ShouldContain("POINTS");
        replica.Collection<Account>("accounts", upper).ShouldBeSameAs(shouting);
        replica.Collection<Account>("accounts").ShouldBeSameAs(camel);
    }

    /// <summary>Starts a write that holds the replica's lock at its commit until the hold is released.</summary>
    private static Task HoldAsync(WriteHold hold, ReplicaCollection<Account> accounts)
    {
        hold.Arm();
        return Task.Run(() => accounts.InsertAsync(new Account { Name = "busy" }));
    }
}
