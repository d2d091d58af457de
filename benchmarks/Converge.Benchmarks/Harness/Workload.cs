using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Protocol;
using Converge.Core.Schema;

namespace Converge.Benchmarks.Harness;

/// <summary>
/// The one record shape every figure writes: a collection <c>item</c> with a string and a long, about the size of a
/// small app record; the raw baselines store the same JSON text under the same UUIDv7 ids.
/// </summary>
internal sealed class Workload
{
    public const string Collection = "item";

    public const string SchemaJson = """{"collections":{"item":{"fields":{"title":{"type":"string"},"n":{"type":"long"}}}}}""";

    private readonly HybridClock _clock;

    public Workload(Guid node)
    {
        _clock = new HybridClock(TimeProvider.System, NodeId.FromGuid(node));
    }

    /// <summary>The schema of <see cref="SchemaJson"/>.</summary>
    public static StreamSchema Schema { get; } = DecodeSchema();

    /// <summary>The fields of record number <paramref name="n"/> as JSON text.</summary>
    public static string FieldsJson(long n) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"title":"item {{n:D8}} of the benchmark","n":{{n}}}""");

    /// <summary>The fields of record number <paramref name="n"/> as a JSON object.</summary>
    public static JsonElement Fields(long n)
    {
        using var document = JsonDocument.Parse(FieldsJson(n));
        return document.RootElement.Clone();
    }

    public SchemaAction SchemaAction() => new() { Id = Guid.CreateVersion7(), Hlc = _clock.Next(), Schema = Schema };

    public CreateAction Create(Guid record, long n) => new()
    {
        Id = Guid.CreateVersion7(),
        Hlc = _clock.Next(),
        Collection = Collection,
        Record = record,
        Fields = Members(Fields(n)),
    };

    public UpdateAction Update(Guid record, long n) => new()
    {
        Id = Guid.CreateVersion7(),
        Hlc = _clock.Next(),
        Collection = Collection,
        Record = record,
        Fields = ImmutableSortedDictionary.Create<string, JsonElement>(StringComparer.Ordinal).Add("n", JsonSerializer.SerializeToElement(n)),
    };

    private static ImmutableSortedDictionary<string, JsonElement> Members(JsonElement fields) =>
        fields.EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    private static StreamSchema DecodeSchema()
    {
        var wire = JsonSerializer.Deserialize(SchemaJson, ConvergeJsonContext.Default.SchemaWire)!;
        var decoded = SchemaCodec.Decode(wire);
        return decoded.IsOk ? decoded.Value : throw new InvalidOperationException(decoded.Error.Message);
    }
}
