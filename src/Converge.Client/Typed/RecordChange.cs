namespace Converge.Client.Typed;

/// <summary>A change to one record of a typed collection, as <see cref="ReplicaCollection{T}.WatchAsync"/> yields it.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Id">The record's id.</param>
/// <param name="Current">The record as it is now; null when it was deleted.</param>
public sealed record RecordChange<T>(Guid Id, T? Current)
    where T : class;
