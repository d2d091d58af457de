using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.State;

namespace Converge.Core.Tests.Merge;

/// <summary>A set's elements are stored one by one, apart from the record: one element's write never rewrites the set.</summary>
public sealed class SetStorageTests
{
    [Fact]
    public void Add_ToALargeSet_WritesOneElementAndTheSmallHeader_NeverTheSet()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", "{\"tags\":[" + string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"t{i}\"")) + "]}", id));
        var recording = new RecordingState(f.State);

        MergeEngine.Apply(recording, f.A.Add("person", id, "tags", "\"new\""), new ApplyContext("alice")).Status.ShouldBe(ApplyStatus.Applied);
        MergeEngine.Apply(recording, f.A.Remove("person", id, "tags", "\"t5\""), new ApplyContext("alice")).Status.ShouldBe(ApplyStatus.Applied);
        MergeEngine.Apply(recording, f.A.Update("person", id, """{"name":"x"}"""), new ApplyContext("alice")).Status.ShouldBe(ApplyStatus.Applied);

        recording.ElementWrites.ShouldBe(["\"new\"", "\"t5\""]);
        recording.ElementsRead.ShouldBe(2);
        recording.RecordWrites.Count.ShouldBe(3); // the header of the add and of the remove (the present count moved) and the update; never a set
        recording.RecordWrites.ShouldAllBe(r => r.Fields.Values.OfType<SetState>().All(s => s.Elements == null));
        ((SetState)f.State.GetRecord(new RecordKey("person", id))!.Fields["tags"]).Count.ShouldBe(1000);
        f.View("person", id)!.ShouldContain("\"new\"");
        f.View("person", id)!.ShouldNotContain("\"t5\"");
    }

    [Fact]
    public void Undo_OfSetWrites_RestoresEveryElementAndTheHeader()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"tags":["a","b"]}""", id));
        var before = f.Export();
        var journaling = new JournalingRecordState(f.State);
        var journals = new List<UndoJournal>();
        foreach (var action in new Core.Actions.ConvergeAction[]
        {
            f.A.Add("person", id, "tags", "\"c\""),
            f.A.Remove("person", id, "tags", "\"a\""),
            f.A.Update("person", id, """{"tags":["z"]}"""),
            f.A.Create("person", """{"tags":["q"]}""", id),
        })
        {
            MergeEngine.Apply(journaling, action, new ApplyContext("alice")).IsRejected.ShouldBeFalse();
            journals.Add(journaling.TakeJournal());
        }

        f.Export().ShouldNotBe(before);
        for (var i = journals.Count - 1; i >= 0; i--)
        {
            Core.Serialization.JournalJson.Deserialize(Core.Serialization.JournalJson.Serialize(journals[i])).Undo(f.State);
        }

        f.Export().ShouldBe(before);
        ((SetState)f.State.GetRecord(new RecordKey("person", id))!.Fields["tags"]).Count.ShouldBe(2);
        f.State.ReadElements(new RecordKey("person", id), "tags").Select(e => e.Key).ShouldBe(["\"a\"", "\"b\""]);
    }

    [Fact]
    public void SetRecord_WithAMaterializedSet_ReplacesItsStoredElements()
    {
        var state = new InMemoryRecordState();
        var key = new RecordKey("person", Guid.CreateVersion7());
        state.SetElement(key, "tags", "\"old\"", new SetElement(Json("\"old\""), Stamp(1), Core.Clock.HybridTimestamp.MinValue));
        var elements = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, SetElement>("\"new\"", new SetElement(Json("\"new\""), Stamp(2), Core.Clock.HybridTimestamp.MinValue))]);

        state.SetRecord(key, new RecordData(key, null, Core.Clock.HybridTimestamp.MinValue, RecordData.NoFields.Add("tags", SetState.Of(elements, Core.Clock.HybridTimestamp.MinValue))));

        state.ReadElements(key, "tags").Select(e => e.Key).ShouldBe(["\"new\""]);
        state.GetRecord(key)!.Fields["tags"].ShouldBe(new SetState(Core.Clock.HybridTimestamp.MinValue, 1));
    }

    private static System.Text.Json.JsonElement Json(string text) => Core.Export.CanonicalJson.Parse(text);

    private static Core.Clock.HybridTimestamp Stamp(long nanos) => new(nanos, new Core.Clock.NodeId(1));

    /// <summary>Passes everything through and records what was written.</summary>
    private sealed class RecordingState(IRecordState inner) : IRecordState
    {
        public List<RecordData> RecordWrites { get; } = [];

        public List<string> ElementWrites { get; } = [];

        public int ElementsRead { get; private set; }

        public StreamSchema GetSchema() => inner.GetSchema();

        public void SetSchema(StreamSchema schema) => inner.SetSchema(schema);

        public RecordData? GetRecord(RecordKey key) => inner.GetRecord(key);

        public void SetRecord(RecordKey key, RecordData? record)
        {
            RecordWrites.Add(record!);
            inner.SetRecord(key, record);
        }

        public IReadOnlyDictionary<string, SetElement> GetElements(RecordKey key, string field, IReadOnlyCollection<string> elementKeys)
        {
            ElementsRead += elementKeys.Count;
            return inner.GetElements(key, field, elementKeys);
        }

        public void SetElement(RecordKey key, string field, string elementKey, SetElement? element)
        {
            ElementWrites.Add(elementKey);
            inner.SetElement(key, field, elementKey, element);
        }

        public IEnumerable<KeyValuePair<string, SetElement>> ReadElements(RecordKey key, string field) => throw new InvalidOperationException("A write must not read the whole set.");

        public Guid? GetAlias(RecordKey key) => inner.GetAlias(key);

        public void SetAlias(RecordKey key, Guid? canonical) => inner.SetAlias(key, canonical);

        public Guid? GetUnique(UniqueKey key) => inner.GetUnique(key);

        public void SetUnique(UniqueKey key, Guid? record) => inner.SetUnique(key, record);
    }
}
