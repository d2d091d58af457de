using Converge.Client.Typed;
using Converge.Core.Actions;
using Converge.Core.Schema;
using Converge.Testing;

namespace Converge.Client.Tests.Typed;

public sealed class ReplicaCollectionTests
{
    private static readonly Contact Sample = new()
    {
        Email = "ann@example.com",
        Name = "Ann",
        Age = 41,
        Score = 0.1 + 0.2,
        Balance = 1234567890.123456789m,
        Active = true,
        Born = new DateTimeOffset(1985, 3, 14, 15, 9, 26, 535, TimeSpan.FromHours(5.5)).AddTicks(8979),
        Token = Guid.NewGuid(),
        Mood = Mood.Cheerful,
        Friend = Guid.CreateVersion7(),
        Tags = ["b", "a"],
        Visits = 3,
        Extra = [1, 2, 3],
    };

    [Fact]
    public void Schema_IsDerivedFromTheType()
    {
        var schema = new CollectionSchemaProbe().Schema;

        schema.Fields["email"].ShouldBe(new FieldSchema(FieldType.String, Unique: UniqueKind.Identity));
        schema.Fields["age"].Type.ShouldBe(FieldType.Long);
        schema.Fields["score"].Type.ShouldBe(FieldType.Double);
        schema.Fields["balance"].Type.ShouldBe(FieldType.Decimal);
        schema.Fields["born"].Type.ShouldBe(FieldType.Instant);
        schema.Fields["token"].Type.ShouldBe(FieldType.Uuid);
        schema.Fields["mood"].Type.ShouldBe(FieldType.String);
        schema.Fields["friend"].ShouldBe(new FieldSchema(FieldType.Ref, Target: "contacts"));
        schema.Fields["tags"].ShouldBe(new FieldSchema(FieldType.String, Cardinality.Many));
        schema.Fields["visits"].ShouldBe(new FieldSchema(FieldType.Long, Counter: true));
        schema.Fields["extra"].Type.ShouldBe(FieldType.Json);
        schema.Fields.ShouldNotContainKey("id");
    }

    [Fact]
    public async Task InsertThenGet_EveryFieldType_RoundTripsExactly_AlsoThroughTheServer()
    {
        await using var world = await SyncWorld.StartAsync();
        var one = await world.OpenAsync("one");
        var two = await world.OpenAsync("two");
        var written = await one.Collection<Contact>().InsertAsync(Sample);
        var id = written.Record!.Value;

        var local = await one.Collection<Contact>().GetAsync(id);
        await world.ConvergeAsync(one, two);
        var remote = await two.Collection<Contact>().GetAsync(id);

        foreach (var read in new[] { local!, remote! })
        {
            read.Tags.ShouldBe(Sample.Tags, ignoreOrder: true);
            (read with { Tags = Sample.Tags }).ShouldBeEquivalentTo(Sample with { Id = id });
            read.Born.Offset.ShouldBe(TimeSpan.FromHours(5.5));
            read.Born.Ticks.ShouldBe(Sample.Born.Ticks);
            read.Balance.ShouldBe(1234567890.123456789m);
            read.Score.ShouldBe(0.1 + 0.2);
        }
    }

    [Fact]
    public async Task Update_SendsOnlyTheFieldsThatChanged_AndCountersAsIncrements()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var contacts = replica.Collection<Contact>();
        var id = (await contacts.InsertAsync(Sample)).Record!.Value;
        var stored = (await contacts.GetAsync(id))!;

        await contacts.UpdateAsync(stored, stored with { Name = "Annie", Visits = 5, Tags = ["a", "b"] });
        var again = (await contacts.GetAsync(id))!;
        (await contacts.UpdateAsync(again, again with { Name = "Annie", Visits = 5 })).ShouldBeEmpty();
        await replica.SyncAsync();

        var log = await replica.GetLogAsync();
        var update = log.Select(l => l.Action).OfType<UpdateAction>().ShouldHaveSingleItem();
        update.Fields.Keys.ShouldBe(["name"]);
        log.Select(l => l.Action).OfType<IncrementAction>().ShouldHaveSingleItem().Delta.ShouldBe(2);
        (await contacts.GetAsync(id))!.Visits.ShouldBe(5);
    }

    [Fact]
    public async Task SetAndCounterOperations_Merge()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var contacts = replica.Collection<Contact>();
        var id = (await contacts.InsertAsync(Sample)).Record!.Value;

        await contacts.AddAsync(id, c => c.Tags, "c");
        await contacts.RemoveAsync(id, c => c.Tags, "a");
        await contacts.IncrementAsync(id, c => c.Visits, 10);

        var read = (await contacts.GetAsync(id))!;
        read.Tags.ShouldBe(["b", "c"], ignoreOrder: true);
        read.Visits.ShouldBe(13);
    }

    [Fact]
    public async Task Query_FiltersAndDelete_Removes()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var contacts = replica.Collection<Contact>();
        var young = (await contacts.InsertAsync(Sample with { Email = "y@example.com", Age = 20 })).Record!.Value;
        await contacts.InsertAsync(Sample with { Email = "o@example.com", Age = 80 });

        (await contacts.QueryAsync(c => c.Age < 50)).ShouldHaveSingleItem().Id.ShouldBe(young);
        await contacts.DeleteAsync(young);
        (await contacts.QueryAsync()).Count.ShouldBe(1);
        (await contacts.GetAsync(young)).ShouldBeNull();
    }

    [Fact]
    public async Task Watch_YieldsChangesOfTheCollection()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");
        var contacts = replica.Collection<Contact>();
        using var cancel = new CancellationTokenSource(Eventually.Timeout);
        await using var changes = contacts.WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);

        // The watch subscribes when its enumeration starts, before the first MoveNextAsync returns: the insert after
        // it cannot be missed, however late the enumerating code gets to run (a real sleep here could be too short).
        var next = changes.MoveNextAsync().AsTask();
        var id = (await contacts.InsertAsync(Sample)).Record!.Value;
        (await next).ShouldBeTrue();
        var first = changes.Current;
        next = changes.MoveNextAsync().AsTask();
        await contacts.DeleteAsync(id);
        (await next).ShouldBeTrue();
        var second = changes.Current;
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(async () => await changes.MoveNextAsync());

        first.Id.ShouldBe(id);
        first.Current!.Name.ShouldBe("Ann");
        second.Id.ShouldBe(id);
        second.Current.ShouldBeNull();
    }

    [Fact]
    public async Task Changed_Event_FiresForSyncedChanges()
    {
        await using var world = await SyncWorld.StartAsync();
        var writer = await world.OpenAsync("writer");
        var reader = await world.OpenAsync("reader");
        var id = (await writer.Collection<Contact>().InsertAsync(Sample)).Record!.Value;
        await writer.SyncAsync();
        var changes = new List<ReplicaChange>();
        reader.Changed += (_, change) => changes.Add(change);

        await reader.SyncAsync();

        changes.ShouldContain(c => c.FromSync && c.Records.Any(r => r.Id == id));
    }

    private sealed class CollectionSchemaProbe
    {
        public CollectionSchema Schema { get; } = RecordShape.Of(typeof(Contact), null, System.Text.Json.JsonNamingPolicy.CamelCase).Schema;
    }
}
