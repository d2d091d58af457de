using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Serialization;
using Converge.Core.State;
using FsCheck;
using FsCheck.Fluent;

namespace Converge.Core.Tests.Merge;

public sealed class MergeLawTests
{
    private static readonly Arbitrary<int> Seeds = Gen.Choose(0, int.MaxValue).ToArbitrary();

    [Fact]
    public void CommutingActions_EveryPermutation_GivesTheSameExport()
    {
        Prop.ForAll(Seeds, Seeds, (seed, shuffleSeed) =>
        {
            var workload = new RandomWorkload(seed);
            var prefix = new List<ConvergeAction> { workload.Schema() };
            prefix.AddRange(workload.Creates(3));
            var commuting = workload.Commuting(12);
            var shuffled = commuting.ToArray();
            new Random(shuffleSeed).Shuffle(shuffled);

            return Replay([.. prefix, .. commuting]) == Replay([.. prefix, .. shuffled]);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void ReplayingALog_AlwaysGivesTheSameExport()
    {
        Prop.ForAll(Seeds, seed =>
        {
            var workload = new RandomWorkload(seed);
            List<ConvergeAction> log = [workload.Schema(), .. workload.Anything(40)];

            return Replay(log) == Replay(log) && Replay(log) == ReplayThroughStorage(log);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void UndoingJournalsInReverse_RestoresTheStateExactly()
    {
        Prop.ForAll(Seeds, seed =>
        {
            var workload = new RandomWorkload(seed);
            var state = new InMemoryRecordState();
            MergeEngine.Apply(state, workload.Schema(), default);
            foreach (var action in workload.Anything(15))
            {
                MergeEngine.Apply(state, action, default);
            }

            var before = FullDump(state);
            var journaling = new JournalingRecordState(state);
            var journals = new List<UndoJournal>();
            foreach (var action in workload.Anything(15))
            {
                MergeEngine.Apply(journaling, action, default);
                journals.Add(JournalJson.Deserialize(JournalJson.Serialize(journaling.TakeJournal())));
            }

            journals.Reverse();
            journals.ForEach(j => j.Undo(state));
            return FullDump(state) == before;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void RejectedActions_WriteNothing()
    {
        Prop.ForAll(Seeds, seed =>
        {
            var workload = new RandomWorkload(seed);
            var state = new InMemoryRecordState();
            var journaling = new JournalingRecordState(state);
            MergeEngine.Apply(state, workload.Schema(), default);
            foreach (var action in workload.Anything(40))
            {
                var result = MergeEngine.Apply(journaling, action, new ApplyContext("p"));
                var journal = journaling.TakeJournal();
                if (result.IsRejected && !journal.Entries.IsEmpty)
                {
                    return false;
                }
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
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
