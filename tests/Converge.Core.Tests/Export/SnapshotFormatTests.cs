using System.IO.Compression;
using System.Text;
using Converge.Core.Clock;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.Serialization;
using Converge.Core.State;
using Converge.Core.Tests.Merge;

namespace Converge.Core.Tests.Export;

public sealed class SnapshotFormatTests
{
    [Fact]
    public void WriteThenLoad_OfARandomHistory_GivesTheSameStateAndTheNewestStamp()
    {
        for (var seed = 1; seed <= 20; seed++)
        {
            var f = new EngineFixture();
            var workload = new RandomWorkload(seed);
            var newest = HybridTimestamp.MinValue;
            foreach (var action in workload.Creates(10).Concat(workload.Anything(120)))
            {
                if (!f.Apply(action).IsRejected)
                {
                    newest = action.Hlc > newest ? action.Hlc : newest;
                }
            }

            var loaded = new InMemoryRecordState();
            var header = SnapshotFormat.Load(Snapshot(f.State, 7), loaded);

            header.Index.ShouldBe(7);
            header.MaxStamp.ShouldBeLessThanOrEqualTo(newest);
            header.MaxStamp.ShouldBeGreaterThan(HybridTimestamp.MinValue);
            CanonicalExport.ToText(loaded).ShouldBe(f.Export(), $"seed {seed}");
            Uniques(loaded, f.State).ShouldBeTrue($"seed {seed}");
        }
    }

    [Fact]
    public void Load_HandsAStoredFormStateEachRecordsOwnBytes()
    {
        var f = new EngineFixture();
        var workload = new RandomWorkload(3);
        foreach (var action in workload.Creates(30).Concat(workload.Commuting(60)))
        {
            f.Apply(action);
        }

        var stored = new StoredFormState();
        SnapshotFormat.Load(Snapshot(f.State, 1), stored);

        stored.Stored.Count.ShouldBe(f.State.RecordCount);
        foreach (var (key, bytes) in stored.Stored)
        {
            RecordJson.Serialize(RecordJson.Deserialize(bytes)).ShouldBe(RecordJson.Serialize(f.State.GetRecord(key)!));
        }

        CanonicalExport.ToText(stored).ShouldBe(f.Export());
    }

    [Theory]
    [InlineData("1e30")]
    [InlineData("-1e999")]
    public void Load_ACounterTotalNoDecimalHolds_IsAFormatError_AlsoWhereRecordsAreStoredAsTheyCame(string total)
    {
        var f = new EngineFixture(withSchema: false);
        f.Applied(f.A.Schema("""{"tally":{"fields":{"hits":{"type":"decimal","counter":true}}}}""")); // no unique field: scanned, not parsed
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("tally", """{"hits":0}""", id));
        f.Applied(f.A.Increment("tally", id, "hits", 7));
        var text = Decompress(Snapshot(f.State, 1));
        text.ShouldContain("\"n\":7");
        var tampered = text.Replace("\"n\":7", $"\"n\":{total}", StringComparison.Ordinal);

        Should.Throw<FormatException>(() => SnapshotFormat.Load(Compress(tampered), new InMemoryRecordState()));
        Should.Throw<FormatException>(() => SnapshotFormat.Load(Compress(tampered), new StoredFormState(parse: false)));
    }

    [Fact]
    public void Load_ARecordLargerThanTheReadBuffer_AndALastLineWithoutNewline()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        var big = new string('x', 200_000);
        f.Applied(f.A.Create("person", $$"""{"name":"{{big}}"}""", id));
        var text = Decompress(Snapshot(f.State, 1)).TrimEnd('\n');

        var loaded = new InMemoryRecordState();
        SnapshotFormat.Load(Compress(text), loaded);

        CanonicalExport.ToText(loaded).ShouldBe(f.Export());
    }

    [Theory]
    [InlineData("""{"r":{"c":"person","i":"not-a-guid","f":{}}}""")]
    [InlineData("""{"r":{"c":"person","i":"0190a000-0000-7000-8000-000000000001","f":{}},"extra":1}""")]
    [InlineData("""{"r":{"c":"person","i":"0190a000-0000-7000-8000-000000000001","f":{}}} trailing""")]
    [InlineData("""{"q":1}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"r":{"c":"person","i":"0190a000-0000-7000-8000-000000000001","f":{"name":{"r":"x","h":"yesterday"}}}}""")]
    [InlineData("""{"r":{"c":"person","i":"0190a000-0000-7000-8000-000000000001","f":{"name":{"r":"x","h":1}}}}""")]
    [InlineData("""{"a":["person","0190a000-0000-7000-8000-000000000001"]}""")]
    [InlineData("""{"r":{"c":"person",""")]
    [InlineData("""{"r":{"i":"0190a000-0000-7000-8000-000000000001","f":{}}}""")]
    [InlineData("""{"r":{"c":"person","i":"0190a000-0000-7000-8000-000000000001","f":{"name":{"r":"x"}}}}""")]
    [InlineData("""{"r":{"c":"person","i":"0190a000-0000-7000-8000-000000000001","f":{"name":{}}}}""")]
    [InlineData("""{"r":{"c":"person","i":"0190a000-0000-7000-8000-000000000001","f":{"name":"x"}}}""")]
    [InlineData("""{"r":{"c":"person","i":"0190a000-0000-7000-8000-000000000001","f":{"tags":{"s":[{"v":1}]}}}}""")]
    [InlineData("""{"r":{"c":"person","i":"0190a000-0000-7000-8000-000000000001","f":{"tags":{"s":[{"k":"a"}]}}}}""")]
    [InlineData("""{"r":{"c":"person","i":"0190a000-0000-7000-8000-000000000001","f":{"tags":{"s":[1]}}}}""")]
    [InlineData("""{"r":{"c":"person","i":"0190a000-0000-7000-8000-000000000001","o":1,"f":{}}}""")]
    [InlineData("""{"r":{"c":"person","i":"0190a000-0000-7000-8000-000000000001","d":"now","f":{}}}""")]
    public void Load_AMalformedLine_IsAFormatError(string line)
    {
        var f = new EngineFixture();
        var header = Decompress(Snapshot(f.State, 1)).Split('\n')[0];

        Should.Throw<FormatException>(() => SnapshotFormat.Load(Compress(header + "\n" + line + "\n"), new InMemoryRecordState()));
        Should.Throw<FormatException>(() => SnapshotFormat.Load(Compress(header + "\n" + line + "\n"), new StoredFormState()));

        // Where the collection has no unique field, a stored-form state takes the record as it is: the scan alone checks it.
        var plain = new EngineFixture(withSchema: false);
        plain.Applied(plain.A.Schema("""{"person":{"fields":{"name":{"type":"string"},"tags":{"type":"string","cardinality":"many"},"visits":{"type":"long","counter":true}}}}"""));
        var plainHeader = Decompress(Snapshot(plain.State, 1)).Split('\n')[0];
        Should.Throw<FormatException>(() => SnapshotFormat.Load(Compress(plainHeader + "\n" + line + "\n"), new StoredFormState(parse: false)));
    }

    [Fact]
    public void Load_IntoAStoredFormState_FindsTheSameNewestStampAsFromTheRecords()
    {
        for (var seed = 1; seed <= 20; seed++)
        {
            var f = new EngineFixture();
            var workload = new RandomWorkload(seed);
            foreach (var action in workload.Creates(10).Concat(workload.Anything(120)))
            {
                f.Apply(action);
            }

            var newest = f.State.ReadRecords().Select(Newest).Max();

            var stored = new StoredFormState();
            var header = SnapshotFormat.Load(Snapshot(f.State, 7), stored);

            header.MaxStamp.ShouldBe(newest, $"seed {seed}");
            CanonicalExport.ToText(stored).ShouldBe(f.Export(), $"seed {seed}");
            Uniques(stored, f.State).ShouldBeTrue($"seed {seed}");
        }
    }

    [Fact]
    public void Load_AnEmptyBody_IsAFormatError()
    {
        Should.Throw<FormatException>(() => SnapshotFormat.Load(Compress(""), new InMemoryRecordState()));
    }

    private static MemoryStream Snapshot(InMemoryRecordState state, long index)
    {
        var body = new MemoryStream();
        SnapshotFormat.Write(body, "s", index, state);
        body.Position = 0;
        return body;
    }

    private static string Decompress(Stream body)
    {
        using var gzip = new GZipStream(body, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static MemoryStream Compress(string text)
    {
        var body = new MemoryStream();
        using (var gzip = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        body.Position = 0;
        return body;
    }

    private static HybridTimestamp Newest(RecordData record)
    {
        var stamps = new List<HybridTimestamp> { record.Deleted };
        foreach (var field in record.Fields.Values)
        {
            if (field is RegisterState register)
            {
                stamps.Add(register.Hlc);
            }
            else if (field is SetState set)
            {
                stamps.Add(set.Cleared);
                stamps.AddRange(set.Elements!.Values.SelectMany(e => new[] { e.Added, e.Removed }));
            }
        }

        return stamps.Max();
    }

    private static bool Uniques(IRecordState loaded, InMemoryRecordState original)
    {
        foreach (var record in original.ReadRecords().Where(r => !r.IsDeleted))
        {
            foreach (var (name, field) in original.GetSchema().FindCollection(record.Key.Collection)!.Fields)
            {
                if (field.Unique != UniqueKind.None && UniqueIndex.KeyOf(record, name, field) is { } key
                    && loaded.GetUnique(key) != original.GetUnique(key))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>An in-memory state that also keeps the storage form it was handed.</summary>
    /// <param name="parse">False to keep the bytes only, as SQLite does (nothing but the loader's own checks then).</param>
    private sealed class StoredFormState(bool parse = true) : IStoredRecordState, IExportableState
    {
        private readonly InMemoryRecordState _inner = new();

        public Dictionary<RecordKey, byte[]> Stored { get; } = [];

        public StreamSchema GetSchema() => _inner.GetSchema();

        public void SetSchema(StreamSchema schema) => _inner.SetSchema(schema);

        public RecordData? GetRecord(RecordKey key) => _inner.GetRecord(key);

        /// <summary>Only for records with sets, whose elements are stored apart: the header is what a store keeps of them.</summary>
        public void SetRecord(RecordKey key, RecordData? record)
        {
            var (header, sets) = RecordSets.Split(record ?? throw new InvalidOperationException("The loader never removes a record."));
            if (sets.Count == 0)
            {
                throw new InvalidOperationException("The loader should hand over the stored form of a record without sets.");
            }

            Stored[key] = RecordJson.Serialize(header);
            _inner.SetRecord(key, record);
        }

        public IReadOnlyDictionary<string, SetElement> GetElements(RecordKey key, string field, IReadOnlyCollection<string> elementKeys) => _inner.GetElements(key, field, elementKeys);

        public void SetElement(RecordKey key, string field, string elementKey, SetElement? element) => _inner.SetElement(key, field, elementKey, element);

        public IEnumerable<KeyValuePair<string, SetElement>> ReadElements(RecordKey key, string field) => _inner.ReadElements(key, field);

        public void SetStoredRecord(RecordKey key, ReadOnlySpan<byte> stored)
        {
            Stored[key] = stored.ToArray();
            if (parse)
            {
                _inner.SetRecord(key, RecordJson.Deserialize(stored));
            }
        }

        public Guid? GetAlias(RecordKey key) => _inner.GetAlias(key);

        public void SetAlias(RecordKey key, Guid? canonical) => _inner.SetAlias(key, canonical);

        public Guid? GetUnique(UniqueKey key) => _inner.GetUnique(key);

        public void SetUnique(UniqueKey key, Guid? record) => _inner.SetUnique(key, record);

        public IEnumerable<RecordData> ReadRecords() => _inner.ReadRecords();

        public IEnumerable<KeyValuePair<RecordKey, Guid>> ReadAliases() => _inner.ReadAliases();
    }
}
