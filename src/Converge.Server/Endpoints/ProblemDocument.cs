namespace Converge.Server.Endpoints;

/// <summary>An RFC 9457 problem with Converge's stable <c>code</c>, served as <c>application/problem+json</c>.</summary>
internal sealed class ProblemDocument
{
    public required string Type { get; init; }

    public required string Title { get; init; }

    public required int Status { get; init; }

    public required string Detail { get; init; }

    public required string Code { get; init; }

    public DateTimeOffset ServerTime { get; init; }

    public int? ActionIndex { get; init; }

    /// <summary>The authenticated principal, once a stream request passed its access check (a client learns who it is from any answer).</summary>
    public string? Principal { get; init; }
}
