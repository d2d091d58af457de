namespace Converge.Server.Storage;

/// <summary>One entry of a stream's log as a store keeps it.</summary>
/// <param name="Index">The log index, from 1, with no gaps.</param>
/// <param name="ActionId">The action's id.</param>
/// <param name="ClientId">The client that pushed it.</param>
/// <param name="Principal">The principal that pushed it.</param>
/// <param name="Body">The action's canonical body (see <see cref="Core.Protocol.ActionBody"/>).</param>
internal sealed record StoredAction(long Index, Guid ActionId, Guid ClientId, string Principal, ReadOnlyMemory<byte> Body);
