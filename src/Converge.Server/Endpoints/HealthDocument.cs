namespace Converge.Server.Endpoints;

/// <summary>The body of <c>/healthz</c>.</summary>
internal sealed class HealthDocument
{
    public required string Status { get; init; }

    public DateTimeOffset ServerTime { get; init; }
}
