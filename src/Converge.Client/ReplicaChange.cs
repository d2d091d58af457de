using Converge.Core.Merge;

namespace Converge.Client;

/// <summary>Records that changed on this replica, by a local write or by a sync.</summary>
/// <param name="Records">The records (as the actions named them).</param>
/// <param name="FromSync">True when a sync changed them; false for a local write.</param>
/// <param name="Reloaded">True when the replica reloaded from a snapshot: any record may have changed.</param>
public sealed record ReplicaChange(IReadOnlyList<RecordKey> Records, bool FromSync, bool Reloaded = false);
