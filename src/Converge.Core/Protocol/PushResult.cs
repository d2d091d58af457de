namespace Converge.Core.Protocol;

/// <summary>The server's answer for one pushed action: accepted or duplicate with its index, or rejected with a code.</summary>
public sealed record PushResult
{
    /// <summary>The action id, in lower-case 8-4-4-4-12 form.</summary>
    public required string Id { get; init; }

    /// <summary>accepted, duplicate or rejected (see <see cref="PushStatus"/>).</summary>
    public required string Status { get; init; }

    /// <summary>The log index (accepted and duplicate).</summary>
    public long? Index { get; init; }

    /// <summary>The stable rejection code (rejected).</summary>
    public string? Code { get; init; }

    /// <summary>Why it was rejected (rejected).</summary>
    public string? Message { get; init; }
}
