using System.Collections.Immutable;
using Converge.Core.Clock;
using Converge.Core.Merge;
using Converge.Core.State;

namespace Converge.Testing.State;

/// <summary>
/// Random records over a schema that declares every field type (and an open collection), written and read back: a
/// state gives each record exactly as written, value texts byte for byte (raw numbers such as <c>1.0</c>, <c>1e3</c>,
/// <c>-0</c>, <c>1.50</c>, instants with offsets and fractions), with nulls, sets, counters, tombstones and extras.
/// </summary>
public abstract partial class RecordStateContract
{
    private const string EveryType = """
        {"collections":{
          "t":{"fields":{"s":{"type":"string"},"l":{"type":"long"},"d":{"type":"double"},"m":{"type":"decimal"},"b":{"type":"bool"},
                         "i":{"type":"instant"},"u":{"type":"uuid"},"r":{"type":"ref"},"j":{"type":"json"},
                         "ss":{"type":"string","cardinality":"many"},"ds":{"type":"double","cardinality":"many"},
                         "lc":{"type":"long","counter":true},"mc":{"type":"decimal","counter":true},"uq":{"type":"string","unique":"value"}}},
          "o":{"open":true,"owned":true,"fields":{"s":{"type":"string"},"d":{"type":"double"}}}}}
        """;

    private static readonly string[] Strings = ["\"\"", "\"a\"", "\"\\u00e9\\\"q\\n\"", "\"\\u0000x\"", "\"1.0\""];
    private static readonly string[] Numbers = ["1.0", "1e3", "-0", "1.50", "0", "-12.25", "1E+2", "3", "2.5", "-0.0", "9223372036854775807", "1e-7", "123456789012345678901234567"];
    private static readonly string[] Instants = ["\"2026-11-21T06:53:36Z\"", "\"2026-11-21T08:53:36.5+02:00\"", "\"2026-11-21T06:53:36.123456789Z\"", "\"1999-12-31T23:59:59-05:30\"", "\"2026-01-01T00:00:00.000z\""];
    private static readonly string[] Uuids = ["\"01900000-0000-7000-8000-000000000001\"", "\"01900000-0000-7000-8000-00000000000A\"", "\"ffffffff-ffff-ffff-ffff-ffffffffffff\""];
    private static readonly string[] Jsons = ["{\"b\":[1,2.0,{\"z\":null}],\"a\":\"x\"}", "[]", "1.0", "\"s\"", "true", "{}"];
    private static readonly decimal[] Totals = [0m, 5m, 5.0m, -12.00m, 1.5m, 1e20m];

    [Fact]
    public async Task SetRecord_OfRandomRecordsOverEveryFieldType_ReadsBackEveryRecordExactlyAsWritten()
    {
        var state = await CreateStateAsync();
        state.SetSchema(Schema(EveryType));
        var random = new Random(1402);
        var written = new Dictionary<RecordKey, RecordData>();
        for (var n = 0; n < 300; n++)
        {
            var key = new RecordKey(random.Next(3) == 0 ? "o" : "t", new Guid($"01900000-0000-7000-8000-{random.Next(120):D12}"));
            var record = RandomRecord(random, key);
            if (!TakesMaterializedSets)
            {
                record = record with { Fields = record.Fields.RemoveRange(["ss", "ds"]) };
            }

            state.SetRecord(key, record);
            written[key] = record;
            Text(state.GetRecord(key)).ShouldBe(Text(RecordSets.Split(record).Header), $"record {n}");
        }

        var reader = await ReopenAsync(state);
        foreach (var (key, record) in written)
        {
            Text(reader.GetRecord(key)).ShouldBe(Text(RecordSets.Split(record).Header));
            foreach (var (field, set) in RecordSets.Split(record).Sets)
            {
                reader.ReadElements(key, field).Select(e => (e.Key, Text(e.Value))).ShouldBe(set.Select(e => (e.Key, Text(e.Value))));
            }
        }

        if (reader is IExportableState exportable)
        {
            exportable.ReadRecords().Select(Text).ShouldBe(written.OrderBy(w => w.Key.Collection, StringComparer.Ordinal).ThenBy(w => w.Key.Id.ToString("D"), StringComparer.Ordinal).Select(w => Text(w.Value)));
        }
    }

    private static RecordData RandomRecord(Random random, RecordKey key)
    {
        var fields = ImmutableSortedDictionary.CreateBuilder<string, FieldState>(StringComparer.Ordinal);
        string Pick(string[] values) => random.Next(8) == 0 ? "null" : values[random.Next(values.Length)];
        HybridTimestamp At() => new(HybridTimestamp.ToNanoseconds(new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero)) + random.Next(1, 5000), new NodeId((UInt128)random.Next(1, 4)));
        void Register(string name, string json)
        {
            if (random.Next(5) > 0)
            {
                fields[name] = new RegisterState(Json.Parse(json), At());
            }
        }

        if (key.Collection == "t")
        {
            Register("s", Pick(Strings));
            Register("l", random.Next(6) == 0 ? Pick(Strings) : Pick(Numbers));
            Register("d", Pick(Numbers));
            Register("m", Pick(Numbers));
            Register("b", random.Next(2) == 0 ? "true" : Pick(["false"]));
            Register("i", Pick(Instants));
            Register("u", Pick(Uuids));
            Register("r", Pick(Uuids));
            Register("j", Pick(Jsons));
            Register("uq", Pick(Strings));
            if (random.Next(3) > 0)
            {
                fields["lc"] = new CounterState(Totals[random.Next(Totals.Length)]);
                fields["mc"] = new CounterState(Totals[random.Next(Totals.Length)]);
            }

            foreach (var (name, values) in new[] { ("ss", Strings), ("ds", Numbers) })
            {
                if (random.Next(3) > 0)
                {
                    var elements = ImmutableSortedDictionary.CreateBuilder<string, SetElement>(StringComparer.Ordinal);
                    for (var e = random.Next(4); e > 0; e--)
                    {
                        var value = values[random.Next(values.Length)];
                        elements[value + (random.Next(4) == 0 ? "~" : "")] = new SetElement(Json.Parse(value), random.Next(4) == 0 ? HybridTimestamp.MinValue : At(), random.Next(3) == 0 ? At() : HybridTimestamp.MinValue);
                    }

                    fields[name] = SetState.Of(elements.ToImmutable(), random.Next(3) == 0 ? At() : HybridTimestamp.MinValue);
                }
            }
        }
        else
        {
            Register("s", Pick(Strings));
            Register("d", Pick(Numbers));
            Register("extra", Pick(Jsons));
            Register("more", Pick(Numbers));
        }

        return new RecordData(key, random.Next(2) == 0 ? null : "alice@example.org", random.Next(6) == 0 ? At() : HybridTimestamp.MinValue, fields.ToImmutable());
    }
}
