namespace Converge.Client.Kernel;

/// <summary>A known bug a test may plant (<see cref="IReplicaTestHooks.Plants"/>), so the simulator proves it catches it.</summary>
internal enum ReplicaBug
{
    /// <summary>Apply every pulled action twice.</summary>
    ApplyPulledTwice,

    /// <summary>Apply pulled actions on top of the pending ones instead of beneath them.</summary>
    SkipUndo,
}
