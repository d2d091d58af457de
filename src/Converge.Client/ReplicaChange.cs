using Converge.Core.Merge;

namespace Converge.Client;

/// <summary>Records that changed on this replica, by a local write or by a sync.</summary>
/// <param name="Records">The records (as the actions named them).</param>
/// <param name="FromSync">True when a sync changed them; false for a local write.</param>
/// <param name="Reloaded">True when the replica reloaded from a snapshot: any record may have changed.</param>
public sealed record ReplicaChange(IReadOnlyList<RecordKey> Records, bool FromSync, bool Reloaded = false)
{
    /// <summary>The collections whose records the commit changed, each once (in the order first named); empty after a reload, which may have changed any.</summary>
    public IReadOnlyList<string> Collections => [.. Records.Select(r => r.Collection).Distinct(StringComparer.Ordinal)];

    /// <summary>True when the commit may have changed records of <paramref name="collection"/>: it named one, or it was a reload (which touches all).</summary>
    public bool Touches(string collection) => Reloaded || Records.Any(r => string.Equals(r.Collection, collection, StringComparison.Ordinal));
}
