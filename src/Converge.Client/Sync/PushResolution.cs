using Converge.Client.Lifecycle;
using Converge.Core;

namespace Converge.Client.Sync;

/// <summary>What a push's answer asks to resolve beneath the queue.</summary>
/// <param name="Rejected">Actions the server refused, with why.</param>
/// <param name="Drifted">Actions refused for a clock too far ahead: to re-stamp.</param>
/// <param name="Behind">Actions accepted at an index the replica already applied: confirmed where they are.</param>
internal sealed record PushResolution(List<(PendingAction Action, Rejection Rejection)> Rejected, HashSet<Guid> Drifted, Dictionary<Guid, long> Behind);
