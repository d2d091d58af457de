namespace Converge.Core.Protocol;

/// <summary>The reply to a pull: the logged actions after the cursor, up to the limit.</summary>
public sealed record PullResponse
{
    /// <summary>The logged actions after the cursor, in index order.</summary>
    public required List<ActionWire> Actions { get; init; }

    /// <summary>The stream's highest index.</summary>
    public long Head { get; init; }

    /// <summary>The principal the server authenticated the pull as: who this client's actions are pushed as.</summary>
    public string? Principal { get; init; }

    /// <summary>The server's clock when it answered.</summary>
    public DateTimeOffset ServerTime { get; init; }
}
