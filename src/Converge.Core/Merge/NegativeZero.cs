using System.Collections.Immutable;
using Converge.Core.Schema;
using Converge.Core.State;

namespace Converge.Core.Merge;

/// <summary>
/// Older versions keyed the double <c>-0.0</c> as <c>"-0"</c>, apart from <c>0.0</c> (<c>"0"</c>), though they are one
/// value: stored data of theirs is re-keyed when a store upgrades it.
/// </summary>
internal static class NegativeZero
{
    /// <summary>The key older versions gave <c>-0.0</c>.</summary>
    public const string OldKey = "-0";

    /// <summary>The key of both zeros.</summary>
    public const string Key = "0";

    /// <summary>
    /// The record with the <c>"-0"</c> element of each materialized double set under <c>"0"</c>: merged into the
    /// <c>"0"</c> element when both are there (the newer add and the newer remove, which is what applying both writes to
    /// one element gives). Sets of other types are left alone (a json set's <c>-0</c> is a value of its own).
    /// </summary>
    public static RecordData Rekey(RecordData record, StreamSchema schema)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(schema);
        var fields = record.Fields;
        var declared = schema.FindCollection(record.Key.Collection);
        foreach (var (name, field) in record.Fields)
        {
            if (field is SetState { Elements: { } elements } set && declared?.Fields.GetValueOrDefault(name)?.Type == FieldType.Double
                && elements.TryGetValue(OldKey, out var old))
            {
                var merged = elements.TryGetValue(Key, out var zero)
                    ? zero with { Added = Max(zero.Added, old.Added), Removed = Max(zero.Removed, old.Removed) }
                    : old;
                fields = fields.SetItem(name, SetState.Of(elements.Remove(OldKey).SetItem(Key, merged), set.Cleared));
            }
        }

        return ReferenceEquals(fields, record.Fields) ? record : record with { Fields = fields };
    }

    private static Clock.HybridTimestamp Max(Clock.HybridTimestamp a, Clock.HybridTimestamp b) => a > b ? a : b;
}
