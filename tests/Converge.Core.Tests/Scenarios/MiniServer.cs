using Converge.Core.Actions;
using Converge.Core.Merge;
using Converge.Core.State;

namespace Converge.Core.Tests.Scenarios;

/// <summary>The server side of a sync step (docs/protocol.md, section 12) at engine level: validate against its own state, then log.</summary>
internal sealed class MiniServer
{
    public List<LoggedAction> Log { get; } = [];

    public InMemoryRecordState State { get; } = new();

    public IReadOnlyList<LoggedAction> Pull(long after) => [.. Log.Where(l => l.Index > after)];

    public ApplyResult Push(Guid clientId, string principal, ConvergeAction action)
    {
        var result = MergeEngine.Apply(State, action, new ApplyContext(principal));
        if (!result.IsRejected)
        {
            Log.Add(new LoggedAction(Log.Count + 1, clientId, principal, action));
        }

        return result;
    }
}
