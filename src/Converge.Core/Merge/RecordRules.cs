using System.Collections.Immutable;
using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Schema;
using Converge.Core.State;

namespace Converge.Core.Merge;

/// <summary>The checks every record action shares: collection, existence, tombstone, owner.</summary>
internal static class RecordRules
{
    public static Rejection? FindCollection(IRecordState state, RecordAction action, out CollectionSchema schema)
    {
        schema = state.GetSchema().FindCollection(action.Collection)!;
        return schema is null
            ? new Rejection(RejectionCodes.UnknownCollection, $"The stream's schema has no collection '{action.Collection}'.")
            : null;
    }

    public static Rejection NotFound(RecordAction action) =>
        new(RejectionCodes.NotFound, $"There is no record {action.Record:D} in '{action.Collection}'.");

    public static Rejection? CheckOwner(CollectionSchema schema, RecordData record, ApplyContext context) =>
        schema.Owned && record.Owner is not null && context.Principal is not null && record.Owner != context.Principal
            ? new Rejection(RejectionCodes.NotOwner, $"Record {record.Key.Id:D} in '{record.Key.Collection}' is owned by another principal; only its owner may change it.")
            : null;

    /// <summary>The conflicts of writes that hit a tombstone: one per field, or one for the record.</summary>
    public static ImmutableArray<Conflict> Tombstoned(RecordData record, IEnumerable<KeyValuePair<string, JsonElement>> values)
    {
        var conflicts = values
            .Select(v => new Conflict(ConflictKind.RecordDeleted, record.Key.Collection, record.Key.Id, v.Key, v.Value, null, record.Deleted))
            .ToImmutableArray();
        return conflicts.IsEmpty
            ? [new Conflict(ConflictKind.RecordDeleted, record.Key.Collection, record.Key.Id, null, null, null, record.Deleted)]
            : conflicts;
    }

    /// <summary>Checks every written value against the collection's schema.</summary>
    public static Rejection? CheckValues(RecordAction action, CollectionSchema schema, IReadOnlyDictionary<string, JsonElement> values, bool isCreate)
    {
        foreach (var (name, value) in values)
        {
            if (ValueRules.CheckFieldValue(action.Collection, schema, name, value, isCreate) is { } rejection)
            {
                return rejection;
            }
        }

        return null;
    }

    /// <summary>Writes a merged record, its set elements and its index changes, after checking size and uniqueness; nothing is written when refused.</summary>
    public static Rejection? Commit(IRecordState state, CollectionSchema schema, RecordData? before, RecordData after, ApplyLimits limits, FieldMerge? merge = null)
    {
        if (limits.MaxRecordBytes < int.MaxValue && RecordSize.Estimate(after) is var size && size > limits.MaxRecordBytes && (before is null || size > RecordSize.Estimate(before)))
        {
            return new Rejection(RejectionCodes.RecordTooLarge, $"Record {after.Key.Id:D} in '{after.Key.Collection}' would take about {size} bytes; at most {limits.MaxRecordBytes} are allowed.");
        }

        var writes = new List<KeyValuePair<UniqueKey, Guid?>>();
        if (UniqueIndex.Plan(state, schema, before, after, writes) is { } rejection)
        {
            return rejection;
        }

        state.SetRecord(after.Key, after);
        merge?.WriteElements(state);
        UniqueIndex.Write(state, writes);
        return null;
    }
}
