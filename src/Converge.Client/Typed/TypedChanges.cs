using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Schema;

namespace Converge.Client.Typed;

/// <summary>
/// The actions a typed write makes: what the caller changed between two copies it holds, never more. Registers go in
/// one update (only those that changed), counters move by the difference the caller made, and sets change by the
/// elements the caller added or removed, so a write from an old copy never reverts what others did meanwhile.
/// </summary>
internal static class TypedChanges
{
    /// <summary>The fields of an insert: those whose value is not the baseline (nobody set them), and no empty set.</summary>
    public static JsonElement InsertFields(CollectionSchema schema, IReadOnlyDictionary<string, JsonElement> fields, IReadOnlyDictionary<string, JsonElement> baseline)
    {
        var written = new JsonObject();
        foreach (var (name, value) in fields)
        {
            var declared = schema.Fields[name];
            var unset = value.ValueKind == JsonValueKind.Null
                || (declared.IsSet && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0)
                || (baseline.TryGetValue(name, out var initial) && CanonicalJson.Same(initial, value));
            if (!unset)
            {
                written[name] = JsonNode.Parse(value.GetRawText());
            }
        }

        return JsonSerializer.SerializeToElement(written, TypedJsonContext.Default.JsonObject);
    }

    /// <summary>The actions that take a record from <paramref name="before"/> to <paramref name="after"/> (both as the caller holds them).</summary>
    public static List<Func<HybridTimestamp, ConvergeAction>> Diff(RecordRef record, CollectionSchema schema, IReadOnlyDictionary<string, JsonElement> before, IReadOnlyDictionary<string, JsonElement> after)
    {
        var drafts = new List<Func<HybridTimestamp, ConvergeAction>>();
        var changed = new JsonObject();
        foreach (var (name, value) in after)
        {
            var declared = schema.Fields[name];
            var old = before.GetValueOrDefault(name, CanonicalJson.Null);
            if (declared.Counter)
            {
                var delta = Amount(value) - Amount(old);
                if (delta != 0m)
                {
                    drafts.Add(ActionDrafts.Increment(record.Ids, record.Collection, record.Id, name, delta));
                }
            }
            else if (declared.IsSet)
            {
                SetChanges(record, name, declared.Type, old, value, drafts);
            }
            else if (!CanonicalJson.Same(old, value))
            {
                changed[name] = JsonNode.Parse(value.GetRawText());
            }
        }

        if (changed.Count > 0)
        {
            drafts.Insert(0, ActionDrafts.Update(record.Ids, record.Collection, record.Id, JsonSerializer.SerializeToElement(changed, TypedJsonContext.Default.JsonObject)));
        }

        return drafts;
    }

    /// <summary>
    /// A baseline with a failed save taken back out: what it moved from <paramref name="before"/> to <paramref name="after"/>
    /// is undone in <paramref name="current"/>, and what saves after it moved stays. A counter loses the failed delta, a set
    /// the elements it added (and gets back those it removed), a register its value unless a later save changed it again.
    /// </summary>
    public static Dictionary<string, JsonElement> Revert(CollectionSchema schema, IReadOnlyDictionary<string, JsonElement> current, IReadOnlyDictionary<string, JsonElement> before, IReadOnlyDictionary<string, JsonElement> after)
    {
        var reverted = new Dictionary<string, JsonElement>(current, StringComparer.Ordinal);
        foreach (var (name, value) in after)
        {
            var declared = schema.Fields[name];
            var old = before.GetValueOrDefault(name, CanonicalJson.Null);
            var now = current.GetValueOrDefault(name, CanonicalJson.Null);
            if (declared.Counter)
            {
                var delta = Amount(value) - Amount(old);
                if (delta != 0m)
                {
                    reverted[name] = CanonicalJson.Parse((Amount(now) - delta).ToString(CultureInfo.InvariantCulture));
                }
            }
            else if (declared.IsSet)
            {
                var had = Elements(declared.Type, old);
                var wanted = Elements(declared.Type, value);
                if (!had.Keys.SequenceEqual(wanted.Keys))
                {
                    var held = Elements(declared.Type, now);
                    foreach (var key in wanted.Keys.Where(k => !had.ContainsKey(k)))
                    {
                        held.Remove(key);
                    }

                    foreach (var (key, element) in had.Where(e => !wanted.ContainsKey(e.Key)))
                    {
                        held.TryAdd(key, element);
                    }

                    reverted[name] = CanonicalJson.Parse("[" + string.Join(",", held.Values.Select(e => e.GetRawText())) + "]");
                }
            }
            else if (CanonicalJson.Same(now, value) && !CanonicalJson.Same(old, value))
            {
                reverted[name] = old;
            }
        }

        return reverted;
    }

    private static void SetChanges(RecordRef record, string field, FieldType type, JsonElement before, JsonElement after, List<Func<HybridTimestamp, ConvergeAction>> drafts)
    {
        var held = Elements(type, before);
        var wanted = Elements(type, after);
        foreach (var (key, element) in held)
        {
            if (!wanted.ContainsKey(key))
            {
                drafts.Add(ActionDrafts.Remove(record.Ids, record.Collection, record.Id, field, element));
            }
        }

        foreach (var (key, element) in wanted)
        {
            if (!held.ContainsKey(key))
            {
                drafts.Add(ActionDrafts.Add(record.Ids, record.Collection, record.Id, field, element));
            }
        }
    }

    private static SortedDictionary<string, JsonElement> Elements(FieldType type, JsonElement set)
    {
        var elements = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        if (set.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in set.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Null)
                {
                    elements.TryAdd(ValueKeys.Of(type, element), element);
                }
            }
        }

        return elements;
    }

    private static decimal Amount(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetDecimal() : 0m;
}
