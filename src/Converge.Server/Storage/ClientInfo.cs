namespace Converge.Server.Storage;

/// <summary>An entry of the client registry.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Principal">The principal it belongs to (a row from before client ids were bound: the last it was seen as).</param>
/// <param name="Cursor">The highest index it said it applied; null before its first pull.</param>
/// <param name="LastSeen">When it last pushed or pulled.</param>
internal sealed record ClientInfo(Guid ClientId, string Principal, long? Cursor, DateTimeOffset LastSeen);
