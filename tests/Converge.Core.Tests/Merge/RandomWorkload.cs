using Converge.Core.Actions;
using Converge.Testing;

namespace Converge.Core.Tests.Merge;

/// <summary>Seeded random actions over the fixture's person schema, from three writers with drifting clocks.</summary>
internal sealed class RandomWorkload
{
    private static readonly string[] Names = ["Ann", "Bob", "Cy", "Di"];
    private static readonly string[] Tags = ["red", "green", "blue"];

    private readonly Random _random;
    private readonly FakeTimeProvider _time = new();
    private readonly ActionFactory[] _writers;
    private readonly List<Guid> _records = [];

    public RandomWorkload(int seed)
    {
        _random = new Random(seed);
        _writers = [new(_time, 1), new(_time, 2), new(_time, 3)];
    }

    public SchemaAction Schema() => _writers[0].Schema(EngineFixture.PersonSchema);

    /// <summary>Creates of <paramref name="count"/> records with plain fields only.</summary>
    public List<ConvergeAction> Creates(int count)
    {
        var creates = new List<ConvergeAction>();
        for (var i = 0; i < count; i++)
        {
            var create = Writer().Create("person", $$"""{"name":"{{Pick(Names)}}","visits":0,"tags":[]}""");
            _records.Add(create.Record);
            creates.Add(create);
        }

        return creates;
    }

    /// <summary>Actions that commute: field writes, set elements, counters and deletes on existing records.</summary>
    public List<ConvergeAction> Commuting(int count) => [.. Enumerable.Range(0, count).Select(_ => NextCommuting())];

    /// <summary>Any action, including ones the engine rejects and ones that unify or violate uniqueness.</summary>
    public List<ConvergeAction> Anything(int count)
    {
        var actions = new List<ConvergeAction>();
        for (var i = 0; i < count; i++)
        {
            actions.Add(_random.Next(6) switch
            {
                0 => Create(),
                1 => Writer().Update("person", Record(), $$"""{"email":"{{Pick(Names)}}@example.com"}"""),
                2 => Writer().Update("person", Guid.CreateVersion7(), """{"name":"nobody"}"""),
                3 => Writer().Remove("person", Record(), "badges", "\"x\""),
                _ => NextCommuting(),
            });
        }

        return actions;
    }

    private ConvergeAction Create()
    {
        var create = Writer().Create("person", $$"""{"ssn":{{_random.Next(4)}},"name":"{{Pick(Names)}}","badges":["x"]}""");
        _records.Add(create.Record);
        return create;
    }

    private ConvergeAction NextCommuting()
    {
        var writer = Writer();
        var record = Record();
        return _random.Next(8) switch
        {
            7 => writer.Update("person", record, $$"""{"tags":["{{Pick(Tags)}}","{{Pick(Tags)}}"]}"""),
            0 => writer.Update("person", record, $$"""{"name":"{{Pick(Names)}}"}"""),
            1 => writer.Update("person", record, $$"""{"age":{{_random.Next(100)}},"score":{{_random.Next(10)}}.5}"""),
            2 => writer.Add("person", record, "tags", $"\"{Pick(Tags)}\""),
            3 => writer.Remove("person", record, "tags", $"\"{Pick(Tags)}\""),
            4 => writer.Increment("person", record, "visits", _random.Next(-5, 6)),
            5 => writer.Increment("person", record, "balance", _random.Next(-500, 500) / 100m),
            _ => _random.Next(4) == 0 ? writer.Delete("person", record) : writer.Update("person", record, """{"active":true}"""),
        };
    }

    private ActionFactory Writer()
    {
        _time.Advance(TimeSpan.FromMilliseconds(_random.Next(-50, 100)));
        return _writers[_random.Next(_writers.Length)];
    }

    private Guid Record() => _records.Count == 0 ? Guid.CreateVersion7() : _records[_random.Next(_records.Count)];

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
