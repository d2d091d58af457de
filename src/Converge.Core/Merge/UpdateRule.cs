using Converge.Core.Actions;

namespace Converge.Core.Merge;

/// <summary>Updates: each named field last-writer-wins; a deleted record takes nothing and reports a conflict.</summary>
internal static class UpdateRule
{
    public static ApplyResult Apply(IRecordState state, UpdateAction action, ApplyContext context)
    {
        if (RecordRules.FindCollection(state, action, out var schema) is { } unknown)
        {
            return ApplyResult.Rejected(unknown);
        }

        if (RecordRules.CheckValues(action, schema, action.Fields, isCreate: false) is { } invalid)
        {
            return ApplyResult.Rejected(invalid);
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
            return ApplyResult.NoOp(RecordRules.Tombstoned(existing, action.Fields));
        }

        var merge = FieldMerge.Run(state, existing, schema, action.Fields, action.Hlc, MergeMode.Update, context.Bounds);
        if (merge.Rejection is { } tooLarge)
        {
            return ApplyResult.Rejected(tooLarge);
        }

        if (!merge.Changed)
        {
            return ApplyResult.NoOp([.. merge.Conflicts]);
        }

        return RecordRules.Commit(state, schema, existing, merge.Result(), context.Bounds, merge) is { } violation
            ? ApplyResult.Rejected(violation)
            : ApplyResult.Applied([.. merge.Conflicts]);
    }
}
