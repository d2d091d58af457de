using Converge.Core.Actions;
using Converge.Core.State;

namespace Converge.Core.Merge;

/// <summary>Deletes: the record becomes a tombstone, whatever its stamps; its unique values are freed.</summary>
internal static class DeleteRule
{
    public static ApplyResult Apply(IRecordState state, DeleteAction action, ApplyContext context)
    {
        if (RecordRules.FindCollection(state, action, out var schema) is { } unknown)
        {
            return ApplyResult.Rejected(unknown);
        }

        var key = MergeEngine.Resolve(state, action.Collection, action.Record);
        if (state.GetRecord(key) is not { } existing)
        {
            return ApplyResult.Rejected(RecordRules.NotFound(action));
        }

        if (RecordRules.CheckOwner(schema, existing, context) is { } notOwner)
        {
            return ApplyResult.Rejected(notOwner);
        }

        if (existing.IsDeleted)
        {
            return ApplyResult.NoOp();
        }

        var tombstone = existing with { Deleted = action.Hlc, Fields = RecordData.NoFields };
        RecordRules.Commit(state, schema, existing, tombstone, ApplyLimits.None);
        return ApplyResult.Applied();
    }
}
