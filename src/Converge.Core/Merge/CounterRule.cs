using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Protocol;
using Converge.Core.Schema;
using Converge.Core.State;

namespace Converge.Core.Merge;

/// <summary>Increments: a counter is the sum of every increment, in any order.</summary>
internal static class CounterRule
{
    public static ApplyResult Apply(IRecordState state, IncrementAction action, ApplyContext context)
    {
        if (RecordRules.FindCollection(state, action, out var schema) is { } unknown)
        {
            return ApplyResult.Rejected(unknown);
        }

        var where = $"{action.Collection}.{action.Field}";
        var declared = schema.Fields.GetValueOrDefault(action.Field);
        if (declared is null)
        {
            return ApplyResult.Rejected(RejectionCodes.UnknownField, $"'{action.Collection}' declares no counter field '{action.Field}'.");
        }

        if (!declared.Counter)
        {
            return ApplyResult.Rejected(RejectionCodes.InvalidAction, $"'{where}' is not a counter: set it with an update.");
        }

        if (declared.Type == FieldType.Long && decimal.Truncate(action.Delta) != action.Delta)
        {
            return ApplyResult.Rejected(RejectionCodes.TypeMismatch, $"'{where}' is a long counter and takes whole amounts; got {action.Delta}.");
        }

        if (declared.Type == FieldType.Long && action.Delta is > long.MaxValue or < long.MinValue)
        {
            return ApplyResult.Rejected(RejectionCodes.OutOfRange, $"'{where}' is a long counter and takes amounts within 64 bits; got {action.Delta}.");
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
            return ApplyResult.NoOp(RecordRules.Tombstoned(existing, [new(action.Field, JsonSerializer.SerializeToElement(action.Delta, ConvergeJsonContext.Default.Decimal))]));
        }

        // A long counter adds whole amounts without a scale, so 5.0 adds as 5 and the total prints as an integer.
        var amount = declared.Type == FieldType.Long ? (long)action.Delta : action.Delta;
        var (counter, overflow) = FieldMerge.Add(existing.Fields.GetValueOrDefault(action.Field) as CounterState, declared, amount, where);
        if (overflow is not null)
        {
            return ApplyResult.Rejected(overflow);
        }

        if (action.Delta == 0m)
        {
            return ApplyResult.NoOp();
        }

        state.SetRecord(key, existing with { Fields = existing.Fields.SetItem(action.Field, counter!) });
        return ApplyResult.Applied();
    }
}
