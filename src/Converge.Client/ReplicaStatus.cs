namespace Converge.Client;

/// <summary>Where a replica stands.</summary>
/// <param name="Stream">Its stream.</param>
/// <param name="ClientId">Its client id.</param>
/// <param name="Principal">The principal the server knows it as, once learned.</param>
/// <param name="Cursor">The highest log index it has applied.</param>
/// <param name="Pending">How many of its actions await confirmation.</param>
/// <param name="Rejections">How many of its actions were rejected.</param>
/// <param name="Conflicts">How many entries the conflict inbox holds.</param>
/// <param name="LastSyncAt">When it last synced, if ever.</param>
/// <param name="LastSyncKind">What that sync was.</param>
/// <param name="LastError">The last sync failure, if the last attempt failed.</param>
public sealed record ReplicaStatus(
    string Stream,
    Guid ClientId,
    string? Principal,
    long Cursor,
    long Pending,
    int Rejections,
    int Conflicts,
    DateTimeOffset? LastSyncAt,
    string? LastSyncKind,
    string? LastError);
