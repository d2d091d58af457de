using System.Text.Json;
using Converge.Client.Typed;
using Converge.Core;
using Converge.Core.Actions;
using Converge.Testing;

namespace Converge.Client.Tests.Typed;

/// <summary>Typed writes send only what the caller changed relative to what it read: a stale copy never reverts others' edits.</summary>
public sealed class TypedWriteTests
{
    [Fact]
    public async Task UpdateAsync_InstanceChangedInPlaceAfterOthersEditsArrived_SendsOnlyWhatTheCallerChanged()
    {
        await using var world = await SyncWorld.StartAsync();
        var one = await world.OpenAsync("one");
        var two = await world.OpenAsync("two");
        var id = (await one.Collection<Account>().InsertAsync(new Account { Name = "Ann", Points = 5, Tags = ["new"] })).Record!.Value;
        await world.ConvergeAsync(one, two);
        var copy = (await one.Collection<Account>().GetAsync(id))!;

        // Another device edits the tier, moves the counter and tags the account; the edits reach this replica.
        await two.Collection<Account>().Patch(id).Set(a => a.Tier, Tier.Gold).Increment(a => a.Points, 10).Add(a => a.Tags, "vip").SaveAsync();
        await two.SyncAsync();
        await one.SyncAsync();

        copy.Name = "Annie";
        var written = await one.Collection<Account>().UpdateAsync(copy);

        written.ShouldHaveSingleItem().IsRejected.ShouldBeFalse();
        await world.ConvergeAsync(one, two);
        foreach (var replica in new[] { one, two })
        {
            var account = (await replica.Collection<Account>().GetAsync(id))!;
            account.Name.ShouldBe("Annie");
            account.Tier.ShouldBe(Tier.Gold);
            account.Points.ShouldBe(15);
            account.Tags.ShouldBe(["new", "vip"], ignoreOrder: true);
            (await replica.GetConflictsAsync()).ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task UpdateAsync_ReadAndChangedCopies_SendsTheDifferenceOnly_CountersAsTheDeltaAskedFor()
    {
        await using var world = await SyncWorld.StartAsync();
        var one = await world.OpenAsync("one");
        var two = await world.OpenAsync("two");
        var members = one.Collection<Member>();
        var id = (await members.InsertAsync(new Member { Email = "ann@example.com", Name = "Ann", Logins = 5 })).Record!.Value;
        await world.ConvergeAsync(one, two);
        var read = (await members.GetAsync(id))!;
        await two.Collection<Member>().UpdateAsync(id, m => m with { Tier = Tier.Silver, Logins = m.Logins + 10 });
        await two.SyncAsync();
        await one.SyncAsync();

        var written = await members.UpdateAsync(read, read with { Phone = "555", Logins = read.Logins + 1 });

        written.Count.ShouldBe(2);
        await world.ConvergeAsync(one, two);
        var member = (await two.Collection<Member>().GetAsync(id))!;
        member.ShouldBe(read with { Phone = "555", Tier = Tier.Silver, Logins = 16 });
        var log = (await two.GetLogAsync()).Select(l => l.Action).ToList();
        log.OfType<UpdateAction>().Last().Fields.Keys.ShouldBe(["phone"]);
        log.OfType<IncrementAction>().Select(i => i.Delta).ShouldBe([10m, 1m]);
    }

    [Fact]
    public async Task UpdateAsync_NothingChanged_WritesNothing()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var members = replica.Collection<Member>();
        var id = (await members.InsertAsync(new Member { Email = "a@example.com", Name = "A" })).Record!.Value;
        var read = (await members.GetAsync(id))!;

        (await members.UpdateAsync(read, read with { })).ShouldBeEmpty();
        (await members.UpdateAsync(id, m => m)).ShouldBeEmpty();
        (await replica.GetPendingAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task UpdateAsync_WithCopyThatWasNeverRead_RefusesInsteadOfGuessing()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var members = replica.Collection<Member>();
        var id = (await members.InsertAsync(new Member { Email = "a@example.com" })).Record!.Value;
        var read = (await members.GetAsync(id))!;

        var refused = await Should.ThrowAsync<InvalidOperationException>(() => members.UpdateAsync(read with { Name = "B" }));

        refused.Message.ShouldContain("UpdateAsync(read, changed)");
        (await members.UpdateAsync(read)).ShouldBeEmpty();
        await Should.ThrowAsync<ArgumentException>(() => members.UpdateAsync(read, read with { Id = Guid.CreateVersion7() }));
    }

    [Fact]
    public async Task UpdateAsync_ById_ChangesTheRecordAsItStandsInTheSameTransaction()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var accounts = replica.Collection<Account>();
        var id = (await accounts.InsertAsync(new Account { Name = "A", Points = 1 })).Record!.Value;

        await accounts.UpdateAsync(id, a =>
        {
            a.Points += 2;
            a.Tags.Add("x");
            return a;
        });

        var account = (await accounts.GetAsync(id))!;
        account.Points.ShouldBe(3);
        account.Tags.ShouldBe(["x"]);
        await Should.ThrowAsync<KeyNotFoundException>(() => accounts.UpdateAsync(Guid.CreateVersion7(), a => a));
    }

    [Fact]
    public async Task Patch_WritesOnlyWhatItNames_AndRefusesToSetACounterOrASet()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var accounts = replica.Collection<Account>();
        var id = (await accounts.InsertAsync(new Account { Name = "A", Tags = ["a", "b"] })).Record!.Value;

        var written = await accounts.Patch(id).Set(a => a.Tier, Tier.Gold).Set(a => a.Name, null).Increment(a => a.Points, 4).Remove(a => a.Tags, "a").Add(a => a.Tags, "c").SaveAsync();

        written.Count.ShouldBe(4);
        var account = (await accounts.GetAsync(id))!;
        (account.Name, account.Tier, account.Points).ShouldBe((null, Tier.Gold, 4L));
        account.Tags.ShouldBe(["b", "c"], ignoreOrder: true);
        Should.Throw<ArgumentException>(() => accounts.Patch(id).Set(a => a.Points, 7));
        Should.Throw<ArgumentException>(() => accounts.Patch(id).Set(a => a.Tags, []));
        Should.Throw<ArgumentException>(() => accounts.Patch(id).Increment(a => a.Name, 1));
    }

    [Fact]
    public async Task InsertAsync_IdentityMergeWithAnotherDevicesCreate_DefaultsNeverOverwriteItsValues()
    {
        await using var world = await SyncWorld.StartAsync();
        var one = await world.OpenAsync("one");
        var two = await world.OpenAsync("two");
        await one.Collection<Member>().InsertAsync(new Member { Email = "grisha@example.com", Name = "Grisha", Age = 41, Tier = Tier.Gold, Active = false });
        await one.SyncAsync();

        // Created later, offline, knowing nothing of the first: its Name, Age, Tier and Active are still the defaults.
        await two.Collection<Member>().InsertAsync(new Member { Email = "grisha@example.com", Phone = "555" });
        await world.ConvergeAsync(two, one);

        foreach (var replica in new[] { one, two })
        {
            var member = (await replica.Collection<Member>().QueryAsync()).ShouldHaveSingleItem();
            (member.Name, member.Age, member.Tier, member.Active, member.Phone).ShouldBe(("Grisha", 41, Tier.Gold, false, "555"));
        }
    }

    [Fact]
    public async Task InsertAsync_SendsOnlyPropertiesThatDifferFromANewInstance()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");

        await replica.Collection<Member>().InsertAsync(new Member { Email = "a@example.com", Active = false });
        await replica.Collection<Point>().InsertAsync(new Point(Guid.Empty, 0, 3, null));
        await replica.SyncAsync();

        var creates = (await replica.GetLogAsync()).Select(l => l.Action).OfType<CreateAction>().ToList();
        creates[0].Fields.Keys.ShouldBe(["active", "email"]);
        creates[1].Fields.Keys.ShouldBe(["y"]);
        (await replica.Collection<Point>().QueryAsync()).ShouldHaveSingleItem().ShouldBe(new Point(creates[1].Record, 0, 3, null));
    }

    [Fact]
    public async Task WriteBatchAsync_TypedWrites_RunInOrderInOneTransaction_EachSeeingTheOnesBefore()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var accounts = replica.Collection<Account>();
        var members = replica.Collection<Member>();
        Guid account = default, gone = default;

        var written = await replica.WriteBatchAsync(batch =>
        {
            var a = batch.In(accounts);
            account = a.Insert(new Account { Name = "A" });
            a.Update(account, x =>
            {
                x.Points += 3;
                return x;
            });
            a.Patch(account, p => p.Add(x => x.Tags, "t").Set(x => x.Tier, Tier.Silver));
            gone = batch.In(members).Insert(new Member { Email = "m@example.com" });
            batch.In(members).Delete(gone);
        });

        written.Count.ShouldBe(6);
        written.ShouldAllBe(w => !w.IsRejected);
        var read = (await accounts.GetAsync(account))!;
        (read.Name, read.Points, read.Tier).ShouldBe(("A", 3L, Tier.Silver));
        read.Tags.ShouldBe(["t"]);
        (await members.GetAsync(gone)).ShouldBeNull();
        (await accounts.WriteBatchAsync(b => b.Update(read, read))).ShouldBeEmpty();
    }

    [Fact]
    public async Task WriteBatchAsync_TypedUpdateOfAMissingRecord_WritesNothingOfTheBatch()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var accounts = replica.Collection<Account>();

        await Should.ThrowAsync<KeyNotFoundException>(() => accounts.WriteBatchAsync(b =>
        {
            b.Insert(new Account { Name = "kept?" });
            b.Update(Guid.CreateVersion7(), a => a);
        }));

        (await accounts.QueryAsync()).ShouldBeEmpty();
        (await replica.GetPendingAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Collection_WithOptionsThatKeepPropertyNames_MapsFieldsExactly()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var pascal = new JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
        var members = replica.Collection<Member>(json: pascal);

        var id = (await members.InsertAsync(new Member { Email = "p@example.com", Name = "Pat", Tier = Tier.Gold })).Record!.Value;

        (await replica.GetAsync("members", id))!.Value.GetProperty("name").GetString().ShouldBe("Pat");
        var read = (await members.GetAsync(id))!;
        (read.Id, read.Name, read.Tier).ShouldBe((id, "Pat", Tier.Gold));
    }

    [Fact]
    public async Task OpenCollection_FieldNamedIdInAnyCase_IsRefused_AndTheTypedReaderKeepsTheRecordsId()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var labels = replica.Collection<Label>();
        var id = (await labels.InsertAsync(new Label { Title = "mine" })).Record!.Value;
        var other = Guid.CreateVersion7();

        var write = await replica.UpdateAsync("labels", id, Json.Parse($$"""{"Id":"{{other}}","note":"x"}"""));
        var twin = await replica.UpdateAsync("labels", id, Json.Parse("""{"TITLE":"not mine"}"""));

        write.Rejection!.Code.ShouldBe(RejectionCodes.ReservedField);
        twin.Rejection!.Code.ShouldBe(RejectionCodes.UnknownField);
        await replica.UpdateAsync("labels", id, Json.Parse("""{"note":"extra"}"""));
        var read = (await labels.GetAsync(id))!;
        (read.Id, read.Title).ShouldBe((id, "mine"));
        await labels.UpdateAsync(read, read with { Title = "renamed" });
        (await labels.GetAsync(id))!.Title.ShouldBe("renamed");
    }

    [Fact]
    public void Collection_TypeWithAFieldNamedIdOrTwoNamesThatDifferOnlyByCase_IsRefused()
    {
        Should.Throw<ArgumentException>(() => RecordShape.Of(typeof(WithIdTwin), null, JsonNamingPolicy.CamelCase)).Message.ShouldContain("'id'");
        Should.Throw<ArgumentException>(() => RecordShape.Of(typeof(WithCaseTwins), null, JsonNamingPolicy.CamelCase)).Message.ShouldContain("only by case");
    }
}
