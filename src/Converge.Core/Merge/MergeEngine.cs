using Converge.Core.Actions;

namespace Converge.Core.Merge;

/// <summary>
/// Applies actions to a state with the merge rules of docs/merge-rules.md. Deterministic: the same state and
/// action give the same result and the same writes on every replica, so the rules exist once.
/// </summary>
/// <remarks>Stateless and thread-safe; the state passed in is not. A rejected action writes nothing.</remarks>
internal static class MergeEngine
{
    /// <summary>Applies one action to <paramref name="state"/> as <paramref name="context"/>'s principal.</summary>
    public static ApplyResult Apply(IRecordState state, ConvergeAction action, ApplyContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(action);
        if (context.IsNew && NameRules.Check(state, action) is { } badName)
        {
            return ApplyResult.Rejected(badName);
        }

        return action switch
        {
            SchemaAction schema => SchemaRule.Apply(state, schema, context.Bounds),
            CreateAction create => CreateRule.Apply(state, create, context),
            UpdateAction update => UpdateRule.Apply(state, update, context),
            DeleteAction delete => DeleteRule.Apply(state, delete, context),
            SetElementAction element => SetRule.Apply(state, element, context),
            IncrementAction increment => CounterRule.Apply(state, increment, context),
            _ => throw new ArgumentException($"Unknown action type {action.GetType().Name}.", nameof(action)),
        };
    }

    /// <summary>The key a record id reaches: the canonical record when the id is an alias, the id itself otherwise.</summary>
    public static RecordKey Resolve(IRecordState state, string collection, Guid id)
    {
        ArgumentNullException.ThrowIfNull(state);
        var key = new RecordKey(collection, id);
        return state.GetAlias(key) is { } canonical ? key with { Id = canonical } : key;
    }
}
