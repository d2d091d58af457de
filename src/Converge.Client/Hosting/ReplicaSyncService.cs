using Microsoft.Extensions.Hosting;

namespace Converge.Client.Hosting;

/// <summary>Runs a replica's sync loop while the host runs.</summary>
internal sealed class ReplicaSyncService(Replica replica) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        replica.StartSync();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => replica.StopSyncAsync();
}
