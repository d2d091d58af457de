using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.State;
using Converge.Testing;

namespace Converge.Core.Tests.Scenarios;

/// <summary>
/// A client replica at engine level: local writes apply at once and queue; a sync pulls, and when nothing came
/// pushes, then undoes pending effects in reverse, applies what was pulled and re-applies what is still pending.
/// </summary>
internal sealed class MiniReplica
{
    private readonly List<(ConvergeAction Action, UndoJournal Journal)> _pending = [];
    private readonly JournalingRecordState _journaling;
    private long _cursor;

    public MiniReplica(FakeTimeProvider time, int node, string principal)
    {
        Writer = new ActionFactory(time, node);
        Principal = principal;
        _journaling = new JournalingRecordState(State);
    }

    public Guid ClientId { get; } = Guid.CreateVersion7();

    public string Principal { get; }

    public ActionFactory Writer { get; }

    public InMemoryRecordState State { get; } = new();

    public string Export() => CanonicalExport.ToText(State);

    public ApplyResult Write(ConvergeAction action)
    {
        var result = MergeEngine.Apply(_journaling, action, new ApplyContext(Principal));
        _pending.Add((action, _journaling.TakeJournal()));
        return result;
    }

    /// <summary>Runs sync steps until a step changes nothing.</summary>
    public void Sync(MiniServer server)
    {
        while (Step(server))
        {
        }
    }

    private bool Step(MiniServer server)
    {
        var pulled = server.Pull(_cursor);
        if (pulled.Count == 0)
        {
            if (_pending.Count == 0)
            {
                return false;
            }

            foreach (var (action, _) in _pending)
            {
                server.Push(ClientId, Principal, action);
            }

            pulled = server.Pull(_cursor);
        }

        for (var i = _pending.Count - 1; i >= 0; i--)
        {
            _pending[i].Journal.Undo(State);
        }

        foreach (var logged in pulled)
        {
            Writer.Clock.Observe(logged.Action.Hlc);
            MergeEngine.Apply(State, logged.Action, new ApplyContext(logged.Principal));
            _pending.RemoveAll(p => p.Action.Id == logged.Action.Id);
            _cursor = logged.Index;
        }

        var still = _pending.Select(p => p.Action).ToList();
        _pending.Clear();
        still.ForEach(a => Write(a));
        return true;
    }
}
