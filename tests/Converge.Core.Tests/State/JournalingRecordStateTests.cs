using Converge.Core.Clock;
using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.State;

namespace Converge.Core.Tests.State;

public sealed class JournalingRecordStateTests
{
    private static readonly RecordKey Key = new("person", Guid.CreateVersion7());

    [Fact]
    public void SetRecord_AfterARead_TakesThePriorImageWithoutReadingAgain()
    {
        var inner = new CountingState();
        var before = Record("a");
        inner.SetRecord(Key, before);
        var journaling = new JournalingRecordState(inner);

        journaling.GetRecord(Key).ShouldBe(before);
        journaling.SetRecord(Key, Record("b"));

        inner.RecordReads.ShouldBe(1);
        journaling.TakeJournal().Undo(inner);
        inner.GetRecord(Key).ShouldBe(before);
    }

    [Fact]
    public void SetRecord_WithNoRead_ReadsThePriorImage()
    {
        var inner = new CountingState();
        var journaling = new JournalingRecordState(inner);

        journaling.SetRecord(Key, Record("b"));

        inner.RecordReads.ShouldBe(1);
        journaling.TakeJournal().Undo(inner);
        inner.GetRecord(Key).ShouldBeNull();
    }

    [Fact]
    public void SetRecord_ReadAfterAnEarlierWrite_KeepsTheFirstPriorImage()
    {
        var inner = new CountingState();
        var first = Record("a");
        inner.SetRecord(Key, first);
        var journaling = new JournalingRecordState(inner);

        journaling.SetRecord(Key, Record("b"));
        journaling.GetRecord(Key);
        journaling.SetRecord(Key, Record("c"));

        journaling.TakeJournal().Undo(inner);
        inner.GetRecord(Key).ShouldBe(first);
    }

    [Fact]
    public void TakeJournal_ForgetsWhatWasRead()
    {
        var inner = new CountingState();
        var journaling = new JournalingRecordState(inner);
        journaling.GetRecord(Key).ShouldBeNull();
        journaling.TakeJournal();
        var written = Record("x");
        inner.SetRecord(Key, written);

        journaling.SetRecord(Key, Record("y"));

        journaling.TakeJournal().Undo(inner);
        inner.GetRecord(Key).ShouldBe(written);
    }

    private static RecordData Record(string owner) => new(Key, owner, HybridTimestamp.MinValue, RecordData.NoFields);

    private sealed class CountingState : IRecordState
    {
        private readonly InMemoryRecordState _inner = new();

        public int RecordReads { get; private set; }

        public StreamSchema GetSchema() => _inner.GetSchema();

        public void SetSchema(StreamSchema schema) => _inner.SetSchema(schema);

        public RecordData? GetRecord(RecordKey key)
        {
            RecordReads++;
            return _inner.GetRecord(key);
        }

        public void SetRecord(RecordKey key, RecordData? record) => _inner.SetRecord(key, record);

        public IReadOnlyDictionary<string, SetElement> GetElements(RecordKey key, string field, IReadOnlyCollection<string> elementKeys) => _inner.GetElements(key, field, elementKeys);

        public void SetElement(RecordKey key, string field, string elementKey, SetElement? element) => _inner.SetElement(key, field, elementKey, element);

        public IEnumerable<KeyValuePair<string, SetElement>> ReadElements(RecordKey key, string field) => _inner.ReadElements(key, field);

        public Guid? GetAlias(RecordKey key) => _inner.GetAlias(key);

        public void SetAlias(RecordKey key, Guid? canonical) => _inner.SetAlias(key, canonical);

        public Guid? GetUnique(UniqueKey key) => _inner.GetUnique(key);

        public void SetUnique(UniqueKey key, Guid? record) => _inner.SetUnique(key, record);
    }
}
