using System.Collections.Immutable;
using Converge.Core.State;

namespace Converge.Core.Merge;

/// <summary>Puts a record's set elements, stored apart, back into its sets: what views, exports and snapshots read.</summary>
internal static class RecordSets
{
    /// <summary>The record with every set materialized from <paramref name="state"/> (the record itself when it has no set).</summary>
    public static RecordData Materialize(IRecordState state, RecordData record)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(record);
        ImmutableSortedDictionary<string, FieldState>.Builder? fields = null;
        foreach (var (name, field) in record.Fields)
        {
            if (field is SetState { Elements: null } set)
            {
                fields ??= record.Fields.ToBuilder();
                fields[name] = set with { Elements = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, state.ReadElements(record.Key, name)) };
            }
        }

        return fields is null ? record : record with { Fields = fields.ToImmutable() };
    }

    /// <summary>The record with every set reduced to its header, and the sets that were materialized in it, by field.</summary>
    public static (RecordData Header, IReadOnlyList<KeyValuePair<string, ImmutableSortedDictionary<string, SetElement>>> Sets) Split(RecordData record)
    {
        ArgumentNullException.ThrowIfNull(record);
        List<KeyValuePair<string, ImmutableSortedDictionary<string, SetElement>>>? sets = null;
        ImmutableSortedDictionary<string, FieldState>.Builder? fields = null;
        foreach (var (name, field) in record.Fields)
        {
            if (field is SetState { Elements: { } elements } set)
            {
                (sets ??= []).Add(new(name, elements));
                fields ??= record.Fields.ToBuilder();
                fields[name] = SetState.Of(elements, set.Cleared).Header;
            }
        }

        return fields is null ? (record, []) : (record with { Fields = fields.ToImmutable() }, sets!);
    }
}
