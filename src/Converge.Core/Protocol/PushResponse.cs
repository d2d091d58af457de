namespace Converge.Core.Protocol;

/// <summary>The reply to a push: one result per action, in order.</summary>
public sealed record PushResponse
{
    /// <summary>One result per pushed action, in order.</summary>
    public required List<PushResult> Results { get; init; }

    /// <summary>The stream's highest index after the push.</summary>
    public long Head { get; init; }

    /// <summary>The principal the server authenticated the push as: owned records it creates belong to it.</summary>
    public string? Principal { get; init; }

    /// <summary>The server's clock when it answered.</summary>
    public DateTimeOffset ServerTime { get; init; }
}
