using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Serialization;
using Converge.Core.State;
using Converge.Core.Tests.Merge.Laws;
using FsCheck.Xunit;

namespace Converge.Core.Tests.Merge;

/// <summary>
/// The merge laws, as FsCheck properties over generated scripts (<see cref="MergeArbitraries"/>): a script is as long as
/// the property's size, and a failing one shrinks, by dropping steps, to the few actions that break the law.
/// </summary>
[Properties(Arbitrary = [typeof(MergeArbitraries)])]
public sealed class MergeLawTests
{
    [Property(MaxTest = 300, StartSize = 12, EndSize = 12)]
    public bool CommutingActions_EveryPermutation_GivesTheSameExport(CommutingScript script)
    {
        var actions = new ActionScript();
        var steps = script.Script.Steps;
        var made = actions.Run(steps).Zip(steps).ToList();
        var prefix = new List<ConvergeAction> { actions.Schema() };
        prefix.AddRange(made.Where(m => m.Second.Kind == StepKind.CreatePlain).Select(m => m.First));
        var commuting = made.Where(m => m.Second.Kind != StepKind.CreatePlain).ToList();
        var shuffled = commuting.OrderBy(m => m.Second.Order).Select(m => m.First);

        return Replay([.. prefix, .. commuting.Select(m => m.First)]) == Replay([.. prefix, .. shuffled]);
    }

    [Property(MaxTest = 200, StartSize = 40, EndSize = 40)]
    public bool ReplayingALog_AlwaysGivesTheSameExport(AnyScript script)
    {
        var actions = new ActionScript();
        List<ConvergeAction> log = [actions.Schema(), .. actions.Run(script.Script.Steps)];

        return Replay(log) == Replay(log) && Replay(log) == ReplayThroughStorage(log);
    }

    [Property(MaxTest = 200, StartSize = 15, EndSize = 15)]
    public bool UndoingJournalsInReverse_RestoresTheStateExactly(AnyScript before, AnyScript journaled)
    {
        var actions = new ActionScript();
        var state = new InMemoryRecordState();
        MergeEngine.Apply(state, actions.Schema(), default);
        foreach (var action in actions.Run(before.Script.Steps))
        {
            MergeEngine.Apply(state, action, default);
        }

        var dump = FullDump(state);
        var journaling = new JournalingRecordState(state);
        var journals = new List<UndoJournal>();
        foreach (var action in actions.Run(journaled.Script.Steps))
        {
            MergeEngine.Apply(journaling, action, default);
            journals.Add(JournalJson.Deserialize(JournalJson.Serialize(journaling.TakeJournal())));
        }

        journals.Reverse();
        journals.ForEach(j => j.Undo(state));
        return FullDump(state) == dump;
    }

    [Property(MaxTest = 200, StartSize = 40, EndSize = 40)]
    public bool RejectedActions_WriteNothing(AnyScript script)
    {
        var actions = new ActionScript();
        var state = new InMemoryRecordState();
        var journaling = new JournalingRecordState(state);
        MergeEngine.Apply(state, actions.Schema(), default);
        foreach (var action in actions.Run(script.Script.Steps))
        {
            var result = MergeEngine.Apply(journaling, action, new ApplyContext("p"));
            var journal = journaling.TakeJournal();
            if (result.IsRejected && !journal.Entries.IsEmpty)
            {
                return false;
            }
        }

        return true;
    }

    private static string Replay(IEnumerable<ConvergeAction> log)
    {
        var state = new InMemoryRecordState();
        foreach (var action in log)
        {
            MergeEngine.Apply(state, action, new ApplyContext("p"));
        }

        return CanonicalExport.ToText(state);
    }

    /// <summary>Replays with every record stored and read back in its storage form between actions.</summary>
    private static string ReplayThroughStorage(IEnumerable<ConvergeAction> log)
    {
        var state = new InMemoryRecordState();
        foreach (var action in log)
        {
            MergeEngine.Apply(state, action, new ApplyContext("p"));
            foreach (var record in state.ReadRecords().ToList())
            {
                state.SetRecord(record.Key, RecordJson.Deserialize(RecordJson.Serialize(record)));
            }
        }

        return CanonicalExport.ToText(state);
    }

    /// <summary>Everything a state holds, merge stamps included.</summary>
    private static string FullDump(InMemoryRecordState state) =>
        string.Join('\n', state.ReadRecords().Select(r => System.Text.Encoding.UTF8.GetString(RecordJson.Serialize(r))))
        + CanonicalExport.ToText(state);
}
