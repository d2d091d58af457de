using System.Collections.Immutable;
using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Export;
using Converge.Core.Protocol;

namespace Converge.Testing;

/// <summary>Builds actions for tests, stamped by one node's clock.</summary>
public sealed class ActionFactory
{
    internal ActionFactory(HybridClock clock)
    {
        Clock = clock;
    }

    public ActionFactory(FakeTimeProvider time, int node = 1)
        : this(new HybridClock(time, new NodeId((UInt128)node)))
    {
    }

    internal HybridClock Clock { get; }

    public SchemaAction Schema(string collectionsJson)
    {
        var wire = JsonSerializer.Deserialize("{\"collections\":" + collectionsJson + "}", ConvergeJsonContext.Default.SchemaWire)!;
        var decoded = SchemaCodec.Decode(wire);
        if (!decoded.IsOk)
        {
            throw new ArgumentException(decoded.Error.Message, nameof(collectionsJson));
        }

        return new SchemaAction { Id = Guid.CreateVersion7(), Hlc = Clock.Next(), Schema = decoded.Value };
    }

    public CreateAction Create(string collection, string fieldsJson, Guid? record = null, OnConflict onConflict = OnConflict.Merge) => new()
    {
        Id = Guid.CreateVersion7(),
        Hlc = Clock.Next(),
        Collection = collection,
        Record = record ?? Guid.CreateVersion7(),
        Fields = Fields(fieldsJson),
        OnConflict = onConflict,
    };

    public UpdateAction Update(string collection, Guid record, string fieldsJson) => new()
    {
        Id = Guid.CreateVersion7(),
        Hlc = Clock.Next(),
        Collection = collection,
        Record = record,
        Fields = Fields(fieldsJson),
    };

    public DeleteAction Delete(string collection, Guid record) => new()
    {
        Id = Guid.CreateVersion7(),
        Hlc = Clock.Next(),
        Collection = collection,
        Record = record,
    };

    public AddAction Add(string collection, Guid record, string field, string valueJson) => new()
    {
        Id = Guid.CreateVersion7(),
        Hlc = Clock.Next(),
        Collection = collection,
        Record = record,
        Field = field,
        Value = CanonicalJson.Parse(valueJson),
    };

    public RemoveAction Remove(string collection, Guid record, string field, string valueJson) => new()
    {
        Id = Guid.CreateVersion7(),
        Hlc = Clock.Next(),
        Collection = collection,
        Record = record,
        Field = field,
        Value = CanonicalJson.Parse(valueJson),
    };

    public IncrementAction Increment(string collection, Guid record, string field, decimal delta) => new()
    {
        Id = Guid.CreateVersion7(),
        Hlc = Clock.Next(),
        Collection = collection,
        Record = record,
        Field = field,
        Delta = delta,
    };

    private static ImmutableSortedDictionary<string, JsonElement> Fields(string json) =>
        Json.Members(json).ToImmutableSortedDictionary(StringComparer.Ordinal);
}
