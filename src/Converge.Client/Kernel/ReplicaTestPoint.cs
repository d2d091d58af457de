namespace Converge.Client.Kernel;

/// <summary>A point inside a write, a sync step or a read where a test may crash (or hold) the replica (<see cref="IReplicaTestHooks"/>).</summary>
internal enum ReplicaTestPoint
{
    /// <summary>A pull's transaction undid the pending actions.</summary>
    RebaseUndone,

    /// <summary>A pull's transaction applied what came and is about to re-apply pending actions.</summary>
    RebaseApplied,

    /// <summary>A pull's transaction began, with nothing pending to undo.</summary>
    PullBegun,

    /// <summary>A pull's transaction applied what came, with nothing pending to re-apply.</summary>
    PullApplied,

    /// <summary>A pull's transaction is about to commit.</summary>
    PullCommit,

    /// <summary>A push's answer is being resolved (not confirmed in place).</summary>
    PushAnswered,

    /// <summary>A push's transaction is about to commit.</summary>
    PushCommit,

    /// <summary>A snapshot loaded, with pending actions to re-apply.</summary>
    BootstrapPending,

    /// <summary>A snapshot loaded, with nothing pending.</summary>
    BootstrapLoaded,

    /// <summary>A snapshot load is about to commit.</summary>
    BootstrapCommit,

    /// <summary>A local write's transaction is about to commit.</summary>
    WriteCommit,

    /// <summary>A read began its read transaction on a reader connection (its snapshot is taken), on the thread it runs on.</summary>
    ReadBegun,
}
