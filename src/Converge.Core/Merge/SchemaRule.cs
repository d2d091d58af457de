using Converge.Core.Actions;

namespace Converge.Core.Merge;

/// <summary>Schema actions: additive merge; any change to what exists is refused.</summary>
internal static class SchemaRule
{
    public static ApplyResult Apply(IRecordState state, SchemaAction action, ApplyLimits limits)
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

        if (merged.Schema!.Collections.Count > limits.MaxCollections)
        {
            return ApplyResult.Rejected(RejectionCodes.SchemaTooLarge, $"The schema would declare {merged.Schema.Collections.Count} collections; at most {limits.MaxCollections} are allowed.");
        }

        var total = merged.Schema.Collections.Values.Sum(c => c.Fields.Count);
        if (total > limits.MaxSchemaFields)
        {
            return ApplyResult.Rejected(RejectionCodes.SchemaTooLarge, $"The schema would declare {total} fields in all; at most {limits.MaxSchemaFields} are allowed.");
        }

        foreach (var name in action.Schema.Collections.Keys)
        {
            var fields = merged.Schema.Collections[name].Fields.Count;
            if (fields > limits.MaxFieldsPerCollection)
            {
                return ApplyResult.Rejected(RejectionCodes.SchemaTooLarge, $"Collection '{name}' would declare {fields} fields; at most {limits.MaxFieldsPerCollection} are allowed in one collection.");
            }
        }

        state.SetSchema(merged.Schema!);
        return ApplyResult.Applied();
    }
}
