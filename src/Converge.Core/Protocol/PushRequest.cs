namespace Converge.Core.Protocol;

/// <summary>The body of <c>POST /v1/streams/{stream}/push</c>.</summary>
public sealed record PushRequest
{
    /// <summary>The pushing client's id (a UUID).</summary>
    public string? ClientId { get; init; }

    /// <summary>The actions to append, in order.</summary>
    public List<ActionWire>? Actions { get; init; }
}
