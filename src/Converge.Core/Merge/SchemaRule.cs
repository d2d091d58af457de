using Converge.Core.Actions;

namespace Converge.Core.Merge;

/// <summary>Schema actions: additive merge; any change to what exists is refused.</summary>
internal static class SchemaRule
{
    public static ApplyResult Apply(IRecordState state, SchemaAction action)
    {
        var merged = state.GetSchema().Merge(action.Schema);
        if (merged.Rejection is { } rejection)
        {
            return ApplyResult.Rejected(rejection);
        }

        if (!merged.IsChange)
        {
            return ApplyResult.NoOp();
        }

        state.SetSchema(merged.Schema!);
        return ApplyResult.Applied();
    }
}
