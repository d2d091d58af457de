using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Schema;
using Converge.Core.State;

namespace Converge.Core.Merge;

/// <summary>
/// Creates: a new record; or, when the id (or an identity value) reaches a live record, a merge into it as
/// <see cref="OnConflict"/> says. A create that unifies by identity makes its id an alias of the earlier record.
/// </summary>
internal static class CreateRule
{
    public static ApplyResult Apply(IRecordState state, CreateAction action, ApplyContext context)
    {
        if (RecordRules.FindCollection(state, action, out var schema) is { } unknown)
        {
            return ApplyResult.Rejected(unknown);
        }

        if (RecordRules.CheckValues(action, schema, action.Fields, isCreate: true) is { } invalid)
        {
            return ApplyResult.Rejected(invalid);
        }

        var key = MergeEngine.Resolve(state, action.Collection, action.Record);
        if (state.GetRecord(key) is { } existing)
        {
            return MergeInto(state, schema, existing, action, context);
        }

        Guid? canonical = null;
        foreach (var (name, field) in schema.Fields)
        {
            if (field.Unique != UniqueKind.Identity || !action.Fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (state.GetUnique(new UniqueKey(action.Collection, name, ValueKeys.Of(field.Type, value))) is { } holder)
            {
                if (canonical is { } other && other != holder)
                {
                    return ApplyResult.Rejected(
                        RejectionCodes.IdentityConflict,
                        $"The identity values of this '{action.Collection}' create match two records, {other:D} and {holder:D}; it cannot be both.");
                }

                canonical = holder;
            }
        }

        if (canonical is { } target)
        {
            return Unify(state, schema, state.GetRecord(key with { Id = target })!, action, context);
        }

        var owner = schema.Owned ? context.Principal : null;
        var fresh = new RecordData(key, owner, HybridTimestamp.MinValue, RecordData.NoFields);
        var merge = FieldMerge.Run(state, fresh, schema, action.Fields, action.Hlc, MergeMode.Create, context.Bounds, fresh: true);
        if (merge.Rejection is { } overflow)
        {
            return ApplyResult.Rejected(overflow);
        }

        return RecordRules.Commit(state, schema, null, merge.Result(), context.Bounds, merge) is { } violation
            ? ApplyResult.Rejected(violation)
            : ApplyResult.Applied([.. merge.Conflicts]);
    }

    private static ApplyResult Unify(IRecordState state, CollectionSchema schema, RecordData canonical, CreateAction action, ApplyContext context)
    {
        var merged = MergeInto(state, schema, canonical, action, context);
        if (merged.IsRejected)
        {
            return merged;
        }

        state.SetAlias(new RecordKey(action.Collection, action.Record), canonical.Key.Id);
        return ApplyResult.Applied(merged.Conflicts, canonical.Key.Id);
    }

    private static ApplyResult MergeInto(IRecordState state, CollectionSchema schema, RecordData existing, CreateAction action, ApplyContext context)
    {
        if (RecordRules.CheckOwner(schema, existing, context) is { } notOwner)
        {
            return ApplyResult.Rejected(notOwner);
        }

        if (existing.IsDeleted)
        {
            return ApplyResult.NoOp(RecordRules.Tombstoned(existing, action.Fields));
        }

        if (action.OnConflict == OnConflict.Ignore)
        {
            return ApplyResult.NoOp();
        }

        var merge = FieldMerge.Run(state, existing, schema, action.Fields, action.Hlc, action.OnConflict == OnConflict.Overwrite ? MergeMode.Overwrite : MergeMode.Create, context.Bounds);
        if (merge.Rejection is { } overflow)
        {
            return ApplyResult.Rejected(overflow);
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
