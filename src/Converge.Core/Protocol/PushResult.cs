namespace Converge.Core.Protocol;

/// <summary>The server's answer for one pushed action: accepted or duplicate with its index, or rejected with a code.</summary>
public sealed class PushResult
{
    /// <summary>The action id, in lower-case 8-4-4-4-12 form.</summary>
    public required string Id { get; set; }

    /// <summary>accepted, duplicate or rejected (see <see cref="PushStatus"/>).</summary>
    public required string Status { get; set; }

    /// <summary>The log index (accepted and duplicate).</summary>
    public long? Index { get; set; }

    /// <summary>The stable rejection code (rejected).</summary>
    public string? Code { get; set; }

    /// <summary>Why it was rejected (rejected).</summary>
    public string? Message { get; set; }
}
