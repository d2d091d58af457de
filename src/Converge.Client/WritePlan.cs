using Converge.Core.Actions;
using Converge.Core.Clock;
using Converge.Core.Merge;

namespace Converge.Client;

/// <summary>
/// One entry of a local write: given the visible state inside the write's transaction (the effects of the entries
/// before it included), the actions to stamp and apply, in order; none when there is nothing to write.
/// </summary>
/// <remarks>A plan that reads runs under the replica's lock, so what it read is what its actions apply to.</remarks>
internal delegate IReadOnlyList<Func<HybridTimestamp, ConvergeAction>> WritePlan(IRecordState visible);
