using System.Security.Claims;
using Converge.Server.Auth;
using Converge.Server.Diagnostics;
using Converge.Server.Storage;
using Converge.Server.Watch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Converge.Server.Hosting;

/// <summary>Registers the sync server: <c>builder.Services.AddConvergeServer(o => ...).UseSqlite(path)</c>.</summary>
public static class ConvergeServiceCollectionExtensions
{
    /// <summary>Adds the server's services; choose a store on the result.</summary>
    public static ConvergeServerBuilder AddConvergeServer(this IServiceCollection services, Action<ConvergeServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ConvergeServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StreamHeads>();
        services.TryAddSingleton<ConvergeMetrics>();
        services.TryAddSingleton(sp => new ClientRegistry(sp.GetRequiredService<IConvergeStore>()));
        services.TryAddSingleton<IConvergeAuthenticator>(sp => new BearerTokenAuthenticator(sp.GetRequiredService<IConvergeStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ConvergeTokenIssuer(sp.GetRequiredService<IConvergeStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ServerParts(
            sp.GetRequiredService<StreamHeads>(),
            sp.GetRequiredService<ClientRegistry>(),
            sp.GetRequiredService<ConvergeMetrics>(),
            sp.GetRequiredService<ILogger<ConvergeServer>>()));
        services.TryAddSingleton(sp => new ConvergeServer(
            sp.GetRequiredService<IConvergeStore>(),
            sp.GetRequiredService<IOptions<ConvergeServerOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IConvergeAuthenticator>(),
            sp.GetRequiredService<ServerParts>()));
        services.TryAddSingleton(sp => new ConvergeMaintenance(sp.GetRequiredService<ConvergeServer>()));
        services.AddHostedService(sp => sp.GetRequiredService<ConvergeMaintenance>());
        return new ConvergeServerBuilder(services);
    }

    /// <summary>Uses a store the app built itself.</summary>
    internal static ConvergeServerBuilder UseStore(this ConvergeServerBuilder builder, Func<IServiceProvider, IConvergeStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>Authenticates with the app's own ASP.NET Core authentication instead of Converge's bearer tokens.</summary>
    /// <param name="builder">The server builder.</param>
    /// <param name="mayUse">Whether an authenticated user may use a stream.</param>
    /// <param name="principalOf">The principal name Converge records; default the identity's name.</param>
    public static ConvergeServerBuilder UseClaimsAuthentication(this ConvergeServerBuilder builder, Func<ClaimsPrincipal, string, bool> mayUse, Func<ClaimsPrincipal, string?>? principalOf = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IConvergeAuthenticator>(new ClaimsAuthenticator(mayUse, principalOf)));
        return builder;
    }
}
