namespace Converge.Core.Protocol;

/// <summary>The reply to <c>GET /v1/streams/{stream}/snapshot</c>: where the latest snapshot is.</summary>
public sealed record SnapshotInfo
{
    /// <summary>The log index the snapshot holds the state at.</summary>
    public long Index { get; init; }

    /// <summary>The SHA-256 of the snapshot body, in lower-case hex.</summary>
    public required string Digest { get; init; }

    /// <summary>Where to GET the immutable body.</summary>
    public required string Href { get; init; }

    /// <summary>The server's clock when it answered.</summary>
    public DateTimeOffset ServerTime { get; init; }
}
