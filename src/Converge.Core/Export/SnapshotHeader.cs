using Converge.Core.Clock;
using Converge.Core.Schema;

namespace Converge.Core.Export;

/// <summary>The first line of a snapshot body.</summary>
/// <param name="Stream">The stream it is of.</param>
/// <param name="Index">The log index whose state it holds.</param>
/// <param name="Schema">The stream's schema at that index.</param>
internal sealed record SnapshotHeader(string Stream, long Index, StreamSchema Schema)
{
    /// <summary>After a load: the newest stamp the snapshot's records hold, so a replica's clock can order its next writes after them.</summary>
    public HybridTimestamp MaxStamp { get; init; }
}
