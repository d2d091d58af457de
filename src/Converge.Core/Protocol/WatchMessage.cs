namespace Converge.Core.Protocol;

/// <summary>What the watch WebSocket sends whenever the stream's log grows.</summary>
internal sealed class WatchMessage
{
    /// <summary>The stream's new highest index.</summary>
    public long Head { get; init; }
}
