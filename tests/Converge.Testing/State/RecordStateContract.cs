using System.Collections.Immutable;
using System.Text;
using Converge.Core.Clock;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.Serialization;
using Converge.Core.State;

namespace Converge.Testing.State;

/// <summary>
/// The contract every <see cref="IRecordState"/> keeps, run unchanged against each one: a derived class says how to
/// make a fresh, empty state, and how to read again what was written (through a new instance over the same storage).
/// </summary>
/// <remarks>
/// Compiled into Converge.Testing for the stores' test projects and, as shared source, into Converge.Core.Tests, which
/// references the core alone.
/// </remarks>
public abstract partial class RecordStateContract
{
    private static readonly RecordKey Ann = new("person", Guid.Parse("018f0000-0000-7000-8000-000000000001"));
    private static readonly RecordKey Bob = new("person", Guid.Parse("018f0000-0000-7000-8000-000000000002"));
    private static readonly RecordKey AnnAsNote = Ann with { Collection = "note" };

    /// <summary>A new, empty state the test owns (release it in the derived class's dispose).</summary>
    internal abstract Task<IRecordState> CreateStateAsync();

    /// <summary>
    /// A state that reads what <paramref name="state"/> wrote from its storage (flushed, then a new instance), or the
    /// same instance for a state that is its own storage.
    /// </summary>
    internal virtual Task<IRecordState> ReopenAsync(IRecordState state) => Task.FromResult(state);

    /// <summary>False for a state that refuses records with materialized sets (it could not undo their elements).</summary>
    protected virtual bool TakesMaterializedSets => true;

    [Fact]
    public async Task GetSchema_BeforeAnySchema_IsEmpty()
    {
        var state = await CreateStateAsync();

        state.GetSchema().Collections.ShouldBeEmpty();
        (await ReopenAsync(state)).GetSchema().Collections.ShouldBeEmpty();
    }

    [Fact]
    public async Task SetSchema_Twice_KeepsTheLatest()
    {
        var state = await CreateStateAsync();
        state.SetSchema(Schema("""{"collections":{"person":{"fields":{"name":{"type":"string"}}}}}"""));
        var latest = Schema("""{"collections":{"person":{"fields":{"name":{"type":"string"},"tags":{"type":"string","cardinality":"many"}}},"note":{"owned":true,"fields":{}}}}""");

        state.SetSchema(latest);

        Text(state.GetSchema()).ShouldBe(Text(latest));
        Text((await ReopenAsync(state)).GetSchema()).ShouldBe(Text(latest));
    }

    [Fact]
    public async Task GetRecord_NeverStored_IsNull()
    {
        var state = await CreateStateAsync();

        state.GetRecord(Ann).ShouldBeNull();
    }

    [Fact]
    public async Task SetRecord_ThenGet_GivesItBackWhole()
    {
        var state = await CreateStateAsync();
        var ann = Record(Ann, owner: "alice", ("name", new RegisterState(Json.Parse("\"Ann\""), Stamp(1))), ("visits", new CounterState(-2.5m)));
        var bob = Record(Bob, owner: null, ("name", new RegisterState(Json.Parse("null"), Stamp(2)))) with { Deleted = Stamp(3) };

        state.SetRecord(Ann, ann);
        state.SetRecord(Bob, bob);

        foreach (var reader in new[] { state, await ReopenAsync(state) })
        {
            Text(reader.GetRecord(Ann)).ShouldBe(Text(ann));
            Text(reader.GetRecord(Bob)).ShouldBe(Text(bob));
            reader.GetRecord(AnnAsNote).ShouldBeNull();
        }
    }

    [Fact]
    public async Task SetRecord_Again_ReplacesIt_AndNullRemovesIt()
    {
        var state = await CreateStateAsync();
        state.SetRecord(Ann, Record(Ann, null, ("name", new RegisterState(Json.Parse("\"Ann\""), Stamp(1)))));
        state.SetRecord(Bob, Record(Bob, null));
        var renamed = Record(Ann, null, ("name", new RegisterState(Json.Parse("\"Anna\""), Stamp(2))));

        state.SetRecord(Ann, renamed);
        state.SetRecord(Bob, null);

        foreach (var reader in new[] { state, await ReopenAsync(state) })
        {
            Text(reader.GetRecord(Ann)).ShouldBe(Text(renamed));
            reader.GetRecord(Bob).ShouldBeNull();
        }
    }

    [Fact]
    public async Task SetRecord_WithAMaterializedSet_StoresItsElements_AndGivesBackTheHeader()
    {
        var state = await CreateStateAsync();
        var set = SetState.Of(Elements(("\"a\"", 1, 0), ("\"b\"", 1, 2)), Stamp(0));
        var record = Record(Ann, null, ("tags", set));

        if (!TakesMaterializedSets)
        {
            Should.Throw<ArgumentException>(() => state.SetRecord(Ann, record));
            state.GetRecord(Ann).ShouldBeNull();
            return;
        }

        state.SetRecord(Ann, record);

        foreach (var reader in new[] { state, await ReopenAsync(state) })
        {
            var header = reader.GetRecord(Ann)!.Fields["tags"].ShouldBeOfType<SetState>();
            header.Elements.ShouldBeNull();
            header.Count.ShouldBe(1);
            Keys(reader.ReadElements(Ann, "tags")).ShouldBe(["\"a\"", "\"b\""]);
        }
    }

    [Fact]
    public async Task SetRecord_WithAMaterializedSet_ReplacesTheStoredElementsExactly_AndAHeaderKeepsThem()
    {
        var state = await CreateStateAsync();
        state.SetRecord(Ann, Record(Ann, null, ("tags", SetState.Empty)));
        state.SetElement(Ann, "tags", "\"old\"", Element("\"old\"", 1, 0));
        var replaced = Record(Ann, null, ("tags", SetState.Of(Elements(("\"new\"", 2, 0)), Stamp(2))));

        if (!TakesMaterializedSets)
        {
            Should.Throw<ArgumentException>(() => state.SetRecord(Ann, replaced));
            Keys(state.ReadElements(Ann, "tags")).ShouldBe(["\"old\""]);
            return;
        }

        state.SetRecord(Ann, replaced);
        Keys(state.ReadElements(Ann, "tags")).ShouldBe(["\"new\""]);
        state.SetRecord(Ann, Record(Ann, null, ("tags", new SetState(Stamp(2), 1)), ("name", new RegisterState(Json.Parse("\"Ann\""), Stamp(3)))));

        foreach (var reader in new[] { state, await ReopenAsync(state) })
        {
            Keys(reader.ReadElements(Ann, "tags")).ShouldBe(["\"new\""]);
            reader.GetRecord(Ann)!.Fields.Keys.ShouldBe(["name", "tags"]);
        }
    }

    private static StreamSchema Schema(string json) => SchemaJson.Deserialize(Encoding.UTF8.GetBytes(json));

    private static string Text(StreamSchema schema) => Encoding.UTF8.GetString(SchemaJson.Serialize(schema));

    private static string? Text(RecordData? record) => record is null ? null : Encoding.UTF8.GetString(RecordJson.Serialize(record));

    private static string? Text(SetElement? element) => element is null ? null : Encoding.UTF8.GetString(RecordJson.SerializeElement(element));

    private static HybridTimestamp Stamp(int n) =>
        n == 0 ? HybridTimestamp.MinValue : new HybridTimestamp(HybridTimestamp.ToNanoseconds(new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero)) + n, new NodeId(1));

    private static RecordData Record(RecordKey key, string? owner, params (string Name, FieldState State)[] fields) =>
        new(key, owner, HybridTimestamp.MinValue, fields.ToImmutableSortedDictionary(f => f.Name, f => f.State, StringComparer.Ordinal));

    private static SetElement Element(string value, int added, int removed) => new(Json.Parse(value), Stamp(added), Stamp(removed));

    private static ImmutableSortedDictionary<string, SetElement> Elements(params (string Key, int Added, int Removed)[] elements) =>
        elements.ToImmutableSortedDictionary(e => e.Key, e => Element(e.Key, e.Added, e.Removed), StringComparer.Ordinal);

    private static List<string> Keys(IEnumerable<KeyValuePair<string, SetElement>> elements) => [.. elements.Select(e => e.Key)];
}
