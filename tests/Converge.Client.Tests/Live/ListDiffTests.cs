using System.Collections.Specialized;
using Converge.Client.Live;

namespace Converge.Client.Tests.Live;

/// <summary>The changes a bound list raises turn the old result into the new one, replayed one by one as a view applies them.</summary>
public sealed class ListDiffTests
{
    private sealed record Row(int Key, int Version);

    [Fact]
    public void TryApply_RandomResults_TheRaisedChangesReplayedOnTheOldListGiveTheNewOne()
    {
        var random = new Random(14);
        var applied = 0;
        for (var round = 0; round < 2_000; round++)
        {
            var before = RandomRows(random);
            var after = random.Next(4) == 0 ? RandomRows(random) : Evolve(random, before);
            var items = before.ToList();
            var view = before.ToList();

            var done = ListDiff.TryApply(items, after, r => r.Key, EqualityComparer<Row>.Default, change => Replay(view, change));

            if (done)
            {
                applied++;
                items.ShouldBe(after);
                view.ShouldBe(after);
            }
            else
            {
                // A reset is raised instead: the list was left as it was, for the caller to refill.
                items.ShouldBe(before);
                view.ShouldBe(before);
            }
        }

        applied.ShouldBeGreaterThan(1_000);
    }

    [Fact]
    public void TryApply_OneRowChanged_RaisesOneReplace()
    {
        List<Row> items = [new(1, 0), new(2, 0), new(3, 0)];
        var changes = new List<NotifyCollectionChangedAction>();

        ListDiff.TryApply(items, [new(1, 0), new(2, 1), new(3, 0)], r => r.Key, EqualityComparer<Row>.Default, c => changes.Add(c.Action)).ShouldBeTrue();

        changes.ShouldBe([NotifyCollectionChangedAction.Replace]);
    }

    [Fact]
    public void TryApply_OneRowMovedToTheFront_RaisesOneMove()
    {
        List<Row> items = [new(1, 0), new(2, 0), new(3, 0)];
        var changes = new List<NotifyCollectionChangedAction>();

        ListDiff.TryApply(items, [new(3, 0), new(1, 0), new(2, 0)], r => r.Key, EqualityComparer<Row>.Default, c => changes.Add(c.Action)).ShouldBeTrue();

        changes.ShouldBe([NotifyCollectionChangedAction.Move]);
    }

    private static void Replay(List<Row> view, ListChange<Row> change)
    {
        switch (change.Action)
        {
            case NotifyCollectionChangedAction.Add:
                view.Insert(change.Index, change.Item!);
                break;
            case NotifyCollectionChangedAction.Remove:
                view[change.Index].ShouldBe(change.Item);
                view.RemoveAt(change.Index);
                break;
            case NotifyCollectionChangedAction.Move:
                view[change.OldIndex].ShouldBe(change.Item);
                view.RemoveAt(change.OldIndex);
                view.Insert(change.Index, change.Item!);
                break;
            case NotifyCollectionChangedAction.Replace:
                view[change.Index].ShouldBe(change.OldItem);
                view[change.Index] = change.Item!;
                break;
            default:
                throw new InvalidOperationException($"Unexpected {change.Action}.");
        }
    }

    private static List<Row> RandomRows(Random random) =>
        [.. Enumerable.Range(0, 30).OrderBy(_ => random.Next()).Take(random.Next(0, 20)).Select(k => new Row(k, random.Next(3)))];

    /// <summary>A few edits of a list, as commits make them: a row added, removed, changed or moved.</summary>
    private static List<Row> Evolve(Random random, List<Row> rows)
    {
        var next = rows.ToList();
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            switch (random.Next(4))
            {
                case 0 when next.Count < 25:
                    var free = Enumerable.Range(0, 30).Where(k => next.TrueForAll(r => r.Key != k)).ToList();
                    next.Insert(random.Next(next.Count + 1), new Row(free[random.Next(free.Count)], 0));
                    break;
                case 1 when next.Count > 0:
                    next.RemoveAt(random.Next(next.Count));
                    break;
                case 2 when next.Count > 0:
                    var at = random.Next(next.Count);
                    next[at] = next[at] with { Version = next[at].Version + 1 };
                    break;
                case 3 when next.Count > 1:
                    var from = random.Next(next.Count);
                    var moved = next[from];
                    next.RemoveAt(from);
                    next.Insert(random.Next(next.Count + 1), moved);
                    break;
            }
        }

        return next;
    }
}
