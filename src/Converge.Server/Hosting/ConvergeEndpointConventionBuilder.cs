using Microsoft.AspNetCore.Builder;

namespace Converge.Server.Hosting;

/// <summary>
/// What <c>MapConverge()</c> returns: a convention added here (<c>RequireAuthorization</c>, <c>RequireCors</c>,
/// <c>RequireRateLimiting</c>, <c>RequireHost</c>, metadata) applies to every endpoint Converge mapped, <c>/healthz</c> included.
/// </summary>
public sealed class ConvergeEndpointConventionBuilder : IEndpointConventionBuilder
{
    private readonly IEndpointConventionBuilder _endpoints;

    internal ConvergeEndpointConventionBuilder(IEndpointConventionBuilder endpoints)
    {
        _endpoints = endpoints;
    }

    /// <inheritdoc />
    public void Add(Action<EndpointBuilder> convention) => _endpoints.Add(convention);

    /// <inheritdoc />
    public void Finally(Action<EndpointBuilder> finallyConvention) => _endpoints.Finally(finallyConvention);
}
