using Converge.Client;
using Converge.Client.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// Where the framework's own Add* extensions live, so `services.AddConvergeClient()` needs no using of Converge's.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a replica: <c>services.AddConvergeClient(o => { o.Replica.Path = "app.db"; ... })</c>.</summary>
public static class ConvergeClientServiceCollectionExtensions
{
    /// <summary>Adds a <see cref="Replica"/> singleton (opened on first use, never waiting for the network) and, by default, its sync loop.</summary>
    /// <remarks>
    /// The options can also be configured elsewhere (<c>services.Configure&lt;ConvergeClientOptions&gt;</c>). Calling it
    /// again adds no service twice: it only adds <paramref name="configure"/> to the options. The options are checked when
    /// the host starts, and every option missing or out of range is named in one <see cref="OptionsValidationException"/>.
    /// </remarks>
    public static IServiceCollection AddConvergeClient(this IServiceCollection services, Action<ConvergeClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ConvergeClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (!services.Any(s => s.ImplementationType == typeof(ConvergeClientOptionsValidator)))
        {
            // Once: each call of ValidateOnStart adds a registration of its own.
            options.ValidateOnStart();
            services.AddSingleton<IValidateOptions<ConvergeClientOptions>, ConvergeClientOptionsValidator>();
        }

        services.TryAddSingleton(sp =>
        {
            var replica = sp.GetRequiredService<IOptions<ConvergeClientOptions>>().Value.Replica;
            if (sp.GetService<TimeProvider>() is { } time && replica.Time == TimeProvider.System)
            {
                replica.Time = time;
            }

            return Replica.Open(replica);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ReplicaSyncService>());
        return services;
    }
}
