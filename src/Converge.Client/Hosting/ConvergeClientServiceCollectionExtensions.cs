using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Converge.Client.Hosting;

/// <summary>Registers a replica: <c>services.AddConvergeClient(o => { o.Replica.Path = "app.db"; ... })</c>.</summary>
public static class ConvergeClientServiceCollectionExtensions
{
    /// <summary>Adds a <see cref="Client.Replica"/> singleton (opened on first use, never waiting for the network) and, by default, its sync loop.</summary>
    public static IServiceCollection AddConvergeClient(this IServiceCollection services, Action<ConvergeClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ConvergeClientOptions();
        configure(options);
        options.Replica.Validate();
        services.TryAddSingleton(sp =>
        {
            if (sp.GetService<TimeProvider>() is { } time && options.Replica.Time == TimeProvider.System)
            {
                options.Replica.Time = time;
            }

            return Replica.Open(options.Replica);
        });
        if (options.RunSyncLoop)
        {
            services.AddSingleton<IHostedService>(sp => new ReplicaSyncService(sp.GetRequiredService<Replica>()));
        }

        return services;
    }
}
