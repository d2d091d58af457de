using System.Collections.Immutable;
using Converge.Core;
using Converge.Core.Merge;

namespace Converge.Client;

/// <summary>What a local write did: applied (and queued), a no-op (queued too: the server decides), or rejected locally (not queued).</summary>
/// <param name="ActionId">The action's id, to follow it with <see cref="Replica.WaitForConfirmationAsync"/>.</param>
/// <param name="Record">The record it wrote, for record actions.</param>
/// <param name="Status">What applying it locally did.</param>
/// <param name="Rejection">Why it was rejected locally; it is kept in the rejections.</param>
/// <param name="Conflicts">Parts that lost locally (a tombstone, a newer value).</param>
public sealed record LocalWrite(Guid ActionId, Guid? Record, ApplyStatus Status, Rejection? Rejection, ImmutableArray<Conflict> Conflicts)
{
    /// <summary>True when the write was refused at once and nothing was queued.</summary>
    public bool IsRejected => Status == ApplyStatus.Rejected;
}
