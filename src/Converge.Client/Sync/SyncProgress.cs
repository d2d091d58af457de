namespace Converge.Client.Sync;

/// <summary>Progress of a sync, for <see cref="IProgress{T}"/>.</summary>
/// <param name="Phase">What it is doing.</param>
/// <param name="Done">How many items of the phase are done.</param>
/// <param name="Total">How many there are, when known.</param>
public sealed record SyncProgress(SyncPhase Phase, long Done, long? Total);
