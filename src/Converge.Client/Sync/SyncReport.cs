using System.Collections.Immutable;
using Converge.Client.Lifecycle;
using Converge.Core.Merge;

namespace Converge.Client.Sync;

/// <summary>The report of a sync: what kind it was, what moved, what was accepted, rejected or lost.</summary>
/// <param name="Kind">What the sync did.</param>
/// <param name="Pulled">How many actions came from the server.</param>
/// <param name="Pushed">How many actions were sent.</param>
/// <param name="Accepted">This replica's actions the server confirmed (or acknowledged) in this sync.</param>
/// <param name="Rejected">This replica's actions refused in this sync; their effects were rolled back.</param>
/// <param name="Conflicts">Pending writes that lost to a newer write or hit a tombstone, newly seen in this sync.</param>
/// <param name="Cursor">The replica's cursor afterwards.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Restamped">How many pending actions were re-stamped after a clock drift rejection.</param>
/// <param name="SnapshotIndex">When the sync loaded a snapshot: its index (0 when it restarted from an empty state).</param>
/// <param name="Raced">True when another opener of the replica file applied the same pull first: this step changed nothing and should run again.</param>
public sealed record SyncReport(
    SyncKind Kind,
    int Pulled,
    int Pushed,
    ImmutableArray<ActionState> Accepted,
    ImmutableArray<ActionState> Rejected,
    ImmutableArray<Conflict> Conflicts,
    long Cursor,
    TimeSpan Duration,
    int Restamped = 0,
    long? SnapshotIndex = null,
    bool Raced = false)
{
    /// <summary>The name of a kind in reports and on the command line: no-op, pulled-only, pushed-only, merged.</summary>
    public static string NameOf(SyncKind kind) => kind switch
    {
        SyncKind.NoOp => "no-op",
        SyncKind.PulledOnly => "pulled-only",
        SyncKind.PushedOnly => "pushed-only",
        _ => "merged",
    };

    /// <summary>True when the step moved something, so the loop should go again at once.</summary>
    public bool MadeProgress => Pulled > 0 || Pushed > 0 || SnapshotIndex is not null || Restamped > 0 || Raced;

    /// <summary>Combines consecutive steps into one report.</summary>
    public SyncReport Then(SyncReport next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var pulled = Pulled + next.Pulled;
        var pushed = Pushed + next.Pushed;
        var kind = (Kind, next.Kind) switch
        {
            (SyncKind.NoOp, var k) => k,
            (var k, SyncKind.NoOp) => k,
            var (a, b) when a == b => a,
            _ => SyncKind.Merged,
        };
        return new SyncReport(
            kind,
            pulled,
            pushed,
            Latest(Accepted.AddRange(next.Accepted)),
            Rejected.AddRange(next.Rejected),
            Conflicts.AddRange(next.Conflicts),
            next.Cursor,
            Duration + next.Duration,
            Restamped + next.Restamped,
            next.SnapshotIndex ?? SnapshotIndex);
    }

    /// <summary>
    /// Combines consecutive steps into one report, as <see cref="Then"/> one after the other would, in one pass: a run
    /// of many steps (a backlog pushed in batches) costs what its actions do, not their number times the steps.
    /// </summary>
    internal static SyncReport Combine(IReadOnlyList<SyncReport> steps)
    {
        var first = steps[0];
        if (steps.Count == 1)
        {
            return first;
        }

        var kind = SyncKind.NoOp;
        int pulled = 0, pushed = 0, restamped = 0;
        var duration = TimeSpan.Zero;
        long? snapshot = null;
        var accepted = ImmutableArray.CreateBuilder<ActionState>();
        var rejected = ImmutableArray.CreateBuilder<ActionState>();
        var conflicts = ImmutableArray.CreateBuilder<Conflict>();
        foreach (var step in steps)
        {
            kind = (kind, step.Kind) switch
            {
                (SyncKind.NoOp, var k) => k,
                (var k, SyncKind.NoOp) => k,
                var (a, b) when a == b => a,
                _ => SyncKind.Merged,
            };
            pulled += step.Pulled;
            pushed += step.Pushed;
            restamped += step.Restamped;
            duration += step.Duration;
            snapshot = step.SnapshotIndex ?? snapshot;
            accepted.AddRange(step.Accepted);
            rejected.AddRange(step.Rejected);
            conflicts.AddRange(step.Conflicts);
        }

        return new SyncReport(kind, pulled, pushed, Latest(accepted.ToImmutable()), rejected.ToImmutable(), conflicts.ToImmutable(), steps[^1].Cursor, duration, restamped, snapshot);
    }

    /// <summary>One state per action: the latest (an acknowledgement followed by the confirmation counts once).</summary>
    private static ImmutableArray<ActionState> Latest(ImmutableArray<ActionState> states) =>
        [.. states.Select((s, i) => (s, i)).GroupBy(x => x.s.ActionId).Select(g => g.Last()).OrderBy(x => x.i).Select(x => x.s)];
}
