using Converge.Core.Actions;
using Converge.Core.Clock;
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

        if (RecordRules.CheckOwner(schema, existing, context) is { } notOwner)
        {
            return ApplyResult.Rejected(notOwner);
        }

        if (existing.IsDeleted)
        {
            return ApplyResult.NoOp(RecordRules.Tombstoned(existing, [new(action.Field, action.Value)]));
        }

        var set = existing.Fields.GetValueOrDefault(action.Field) as SetState ?? SetState.Empty;
        var elementKey = ValueKeys.Of(declared.Type, action.Value);
        if (action is AddAction && ValueRules.CheckElementSize(where, action.Value, context.Bounds) is { } tooLarge)
        {
            return ApplyResult.Rejected(tooLarge);
        }

        var known = state.GetElements(key, action.Field, [elementKey]).GetValueOrDefault(elementKey);
        var element = known ?? new SetElement(action.Value, HybridTimestamp.MinValue, HybridTimestamp.MinValue);
        var isAdd = action is AddAction;

        // What beats this write only ever grows, so a write it already beats can never show: report it, store nothing.
        var beatenBy = isAdd ? Max(element.Removed, set.Cleared) : element.Added;
        if (beatenBy > action.Hlc)
        {
            var winning = !isAdd && set.Contains(element) ? element.Value : (System.Text.Json.JsonElement?)null;
            return ApplyResult.NoOp([new Conflict(ConflictKind.LostToNewerWrite, key.Collection, key.Id, action.Field, action.Value, winning, beatenBy)]);
        }

        if ((isAdd ? element.Added : element.Removed) >= action.Hlc)
        {
            return ApplyResult.NoOp();
        }

        // One element is written; the record's header only when the count of present elements moves.
        var updated = isAdd ? element with { Added = action.Hlc } : element with { Removed = action.Hlc };
        var moved = (set.Contains(updated) ? 1 : 0) - (known is not null && set.Contains(known) ? 1 : 0);
        if (moved > 0 && set.Count >= context.Bounds.MaxSetElements)
        {
            return ApplyResult.Rejected(RejectionCodes.SetTooLarge, $"{where} holds {set.Count} elements; at most {context.Bounds.MaxSetElements} are allowed in one set.");
        }

        if (moved != 0 || !existing.Fields.ContainsKey(action.Field))
        {
            state.SetRecord(key, existing with { Fields = existing.Fields.SetItem(action.Field, set with { Count = set.Count + moved }) });
        }

        state.SetElement(key, action.Field, elementKey, updated);
        return ApplyResult.Applied();
    }

    private static HybridTimestamp Max(HybridTimestamp a, HybridTimestamp b) => a > b ? a : b;
}
