using System.Security.Claims;
using Converge.Server.Auth;
using Converge.Server.Diagnostics;
using Converge.Server.Hosting;
using Converge.Server.Storage;
using Converge.Server.Watch;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Where ASP.NET Core's own Add* extensions live, so `services.AddConvergeServer()` needs no using of Converge's.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the sync server: <c>builder.Services.AddConvergeServer(o => ...).UseSqlite(path)</c>.</summary>
public static class ConvergeServiceCollectionExtensions
{
    /// <summary>Adds the server's services; choose a store on the result.</summary>
    /// <remarks>
    /// Calling it again adds no service twice: it only adds <paramref name="configure"/> to the options. The options are
    /// checked when the host starts, and every option out of range is named in one <see cref="OptionsValidationException"/>.
    /// </remarks>
    public static ConvergeServerBuilder AddConvergeServer(this IServiceCollection services, Action<ConvergeServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ConvergeServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (!services.Any(s => s.ImplementationType == typeof(ConvergeServerOptionsValidator)))
        {
            // Once: each call of ValidateOnStart adds a registration of its own.
            options.ValidateOnStart();
            services.AddSingleton<IValidateOptions<ConvergeServerOptions>, ConvergeServerOptionsValidator>();
        }


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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ConvergeMaintenance>(sp => sp.GetRequiredService<ConvergeMaintenance>()));
        return new ConvergeServerBuilder(services);
    }

    /// <summary>Uses a store the app built itself, in place of any store chosen before.</summary>
    internal static ConvergeServerBuilder UseStore(this ConvergeServerBuilder builder, Func<IServiceProvider, IConvergeStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton(factory));
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
