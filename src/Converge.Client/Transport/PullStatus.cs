namespace Converge.Client.Transport;

/// <summary>The outcomes of a pull.</summary>
public enum PullStatus
{
    /// <summary>The actions after the cursor (possibly none).</summary>
    Ok,

    /// <summary>The cursor is below the compaction horizon: load the latest snapshot.</summary>
    SnapshotRequired,

    /// <summary>The cursor is past the server's head: the server lost what this replica holds; reload.</summary>
    CursorAhead,
}
