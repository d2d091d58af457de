using Microsoft.Extensions.DependencyInjection;

namespace Converge.Server.Hosting;

/// <summary>Returned by <c>AddConvergeServer</c>, to choose a store (<c>UseSqlite</c>, <c>UsePostgres</c>) and an authenticator.</summary>
public sealed class ConvergeServerBuilder
{
    internal ConvergeServerBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The service collection the server is registered in.</summary>
    public IServiceCollection Services { get; }
}
