using System.Collections.Immutable;
using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Protocol;

namespace Converge.Benchmarks.Harness;

/// <summary>Actions of any shape from JSON text, stamped by a clock: for figures that write more than <see cref="Workload"/>'s one record shape.</summary>
internal sealed class ActionWriter(HybridClock clock)
{
    public SchemaAction Schema(string collectionsJson)
    {
        var wire = JsonSerializer.Deserialize("{\"collections\":" + collectionsJson + "}", ConvergeJsonContext.Default.SchemaWire)!;
        var decoded = SchemaCodec.Decode(wire);
        return decoded.IsOk
            ? new SchemaAction { Id = Guid.CreateVersion7(), Hlc = clock.Next(), Schema = decoded.Value }
            : throw new ArgumentException(decoded.Error.Message, nameof(collectionsJson));
    }

    public CreateAction Create(string collection, Guid record, string fieldsJson) =>
        new() { Id = Guid.CreateVersion7(), Hlc = clock.Next(), Collection = collection, Record = record, Fields = Fields(fieldsJson) };

    public UpdateAction Update(string collection, Guid record, string fieldsJson) =>
        new() { Id = Guid.CreateVersion7(), Hlc = clock.Next(), Collection = collection, Record = record, Fields = Fields(fieldsJson) };

    public AddAction Add(Guid record, string tag) =>
        new() { Id = Guid.CreateVersion7(), Hlc = clock.Next(), Collection = "bag", Record = record, Field = "tags", Value = JsonSerializer.SerializeToElement(tag) };

    public RemoveAction Remove(Guid record, string tag) =>
        new() { Id = Guid.CreateVersion7(), Hlc = clock.Next(), Collection = "bag", Record = record, Field = "tags", Value = JsonSerializer.SerializeToElement(tag) };

    private static ImmutableSortedDictionary<string, JsonElement> Fields(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }
}
