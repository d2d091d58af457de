namespace Converge.Client.Live;

/// <summary>
/// The changes that turn one list into another, as a bound list raises them: removals, then moves, inserts and
/// replacements in target order; null when a reset is simpler (most of the list changed, or keys repeat).
/// </summary>
internal static class ListDiff
{
    /// <summary>Applies the changes to <paramref name="items"/>, calling <paramref name="raise"/> after each; false when it must be reset instead (nothing changed then).</summary>
    public static bool TryApply<T>(List<T> items, IReadOnlyList<T> target, Func<T, object?> keyOf, IEqualityComparer<T> comparer, Action<ListChange<T>> raise)
    {
        var targetKeys = new HashSet<object?>();
        foreach (var item in target)
        {
            if (!targetKeys.Add(keyOf(item)))
            {
                return false;
            }
        }

        var currentKeys = new HashSet<object?>();
        var kept = 0;
        foreach (var item in items)
        {
            if (!currentKeys.Add(keyOf(item)))
            {
                return false;
            }

            kept += targetKeys.Contains(keyOf(item)) ? 1 : 0;
        }

        // A reset is one event and one rebuild of the view: simpler than a change per row once little is kept.
        if (items.Count > 8 && kept < items.Count / 2)
        {
            return false;
        }

        for (var i = items.Count - 1; i >= 0; i--)
        {
            if (!targetKeys.Contains(keyOf(items[i])))
            {
                var removed = items[i];
                items.RemoveAt(i);
                raise(ListChange<T>.Removed(removed, i));
            }
        }

        for (var i = 0; i < target.Count; i++)
        {
            var wanted = target[i];
            var key = keyOf(wanted);
            var at = IndexOf(items, key, keyOf, i);
            if (at < 0)
            {
                items.Insert(i, wanted);
                raise(ListChange<T>.Added(wanted, i));
                continue;
            }

            if (at != i)
            {
                var moved = items[at];
                items.RemoveAt(at);
                items.Insert(i, moved);
                raise(ListChange<T>.Moved(moved, at, i));
            }

            if (!comparer.Equals(items[i], wanted))
            {
                var old = items[i];
                items[i] = wanted;
                raise(ListChange<T>.Replaced(old, wanted, i));
            }
        }

        return true;
    }

    private static int IndexOf<T>(List<T> items, object? key, Func<T, object?> keyOf, int from)
    {
        for (var i = from; i < items.Count; i++)
        {
            if (Equals(keyOf(items[i]), key))
            {
                return i;
            }
        }

        return -1;
    }
}
