using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Export;
using Converge.Core.State;

namespace Converge.Core.Merge;

/// <summary>Adds and removes: last-writer-wins per element by stamp; grow-only sets refuse removes.</summary>
internal static class SetRule
{
    public static ApplyResult Apply(IRecordState state, SetElementAction action, ApplyContext context)
    {
        if (RecordRules.FindCollection(state, action, out var schema) is { } unknown)
        {
            return ApplyResult.Rejected(unknown);
        }

        var where = $"'{action.Collection}.{action.Field}'";
        var declared = schema.Fields.GetValueOrDefault(action.Field);
        if (declared is null)
        {
            return ApplyResult.Rejected(RejectionCodes.UnknownField, $"'{action.Collection}' declares no set field '{action.Field}'.");
        }

        if (!declared.IsSet)
        {
            return ApplyResult.Rejected(RejectionCodes.InvalidAction, $"{where} is not a set (cardinality many): set it with an update.");
        }

        if (action is RemoveAction && declared.GrowOnly)
        {
            return ApplyResult.Rejected(RejectionCodes.InvalidAction, $"{where} is a grow-only set: elements cannot be removed.");
        }

        if (ValueRules.CheckElement(action.Collection, action.Field, declared, action.Value) is { } mismatch)
        {
            return ApplyResult.Rejected(mismatch);
        }

        var key = MergeEngine.Resolve(state, action.Collection, action.Record);
        if (state.GetRecord(key) is not { } existing)
        {
            return ApplyResult.Rejected(RecordRules.NotFound(action));
        }

        if (existing.IsDeleted)
        {
            return ApplyResult.NoOp(RecordRules.Tombstoned(existing, [new(action.Field, action.Value)]));
        }

        if (RecordRules.CheckOwner(schema, existing, context) is { } notOwner)
        {
            return ApplyResult.Rejected(notOwner);
        }

        var set = existing.Fields.GetValueOrDefault(action.Field) as SetState ?? SetState.Empty;
        var elementKey = CanonicalJson.ToText(action.Value);
        var element = set.Elements.GetValueOrDefault(elementKey) ?? new SetElement(action.Value, HybridTimestamp.MinValue, HybridTimestamp.MinValue);
        var isAdd = action is AddAction;
        var (mine, theirs) = isAdd ? (element.Added, element.Removed) : (element.Removed, element.Added);
        if (theirs > action.Hlc)
        {
            // The other side only ever grows, so a write it already dominates can never show: report it, store nothing.
            return ApplyResult.NoOp([new Conflict(ConflictKind.LostToNewerWrite, key.Collection, key.Id, action.Field, action.Value, null, theirs)]);
        }

        if (mine >= action.Hlc)
        {
            return ApplyResult.NoOp();
        }

        var updated = isAdd ? element with { Added = action.Hlc } : element with { Removed = action.Hlc };
        var record = existing with { Fields = existing.Fields.SetItem(action.Field, new SetState(set.Elements.SetItem(elementKey, updated))) };
        state.SetRecord(key, record);
        return ApplyResult.Applied();
    }
}
