using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Converge.Client.Hosting;

/// <summary>Runs a replica's sync loop while the host runs, unless <see cref="ConvergeClientOptions.RunSyncLoop"/> is false.</summary>
/// <remarks>It asks for the replica only when it runs the loop, so a host without the loop opens the replica on first use.</remarks>
internal sealed class ReplicaSyncService(IServiceProvider services, IOptions<ConvergeClientOptions> options) : IHostedService
{
    private Replica? _replica;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.RunSyncLoop)
        {
            _replica = services.GetRequiredService<Replica>();
            _replica.StartSync();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _replica?.StopSyncAsync() ?? Task.CompletedTask;
}
