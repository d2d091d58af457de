using Converge.Server.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Converge.Server.Hosting;

/// <summary>
/// The server's housekeeping: writes the buffered client registry, snapshots streams that grew by
/// <see cref="ConvergeServerOptions.SnapshotEveryActions"/>, and compacts each log at or below the oldest cursor
/// of its non-stale clients (never above its latest snapshot).
/// </summary>
public sealed class ConvergeMaintenance : BackgroundService
{
    private readonly ConvergeServer _server;

    internal ConvergeMaintenance(ConvergeServer server)
    {
        _server = server;
    }

    /// <summary>Runs one round of maintenance on every stream.</summary>
    /// <param name="forceSnapshot">True to snapshot every stream that changed since its last snapshot, however little.</param>
    public async Task RunOnceAsync(bool forceSnapshot = false, CancellationToken cancellationToken = default)
    {
        var store = _server.Store;
        var options = _server.Options;
        await _server.Registry.FlushAsync(cancellationToken).ConfigureAwait(false);
        foreach (var stream in await store.ListStreamsAsync(cancellationToken).ConfigureAwait(false))
        {
            var position = await store.ReadAsync(stream, long.MaxValue, 1, cancellationToken).ConfigureAwait(false);
            var latest = await store.GetLatestSnapshotAsync(stream, cancellationToken).ConfigureAwait(false);
            var since = position.Head - (latest?.Index ?? 0);
            if (since >= options.SnapshotEveryActions || (forceSnapshot && since > 0))
            {
                latest = await store.CreateSnapshotAsync(stream, _server.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                if (latest is not null)
                {
                    ServerLog.SnapshotWritten(_server.Logger, stream, latest.Index, latest.Digest, latest.Length);
                }
            }

            if (!options.CompactLog || latest is null)
            {
                continue;
            }

            var now = _server.Time.GetUtcNow();
            // A client that never pulled has no cursor to protect: it starts from the snapshot like any new client.
            var cursors = (await store.ListClientsAsync(stream, cancellationToken).ConfigureAwait(false))
                .Where(c => c.Cursor is not null && now - c.LastSeen <= options.ClientStaleAfter)
                .Select(c => c.Cursor!.Value)
                .ToList();
            var upTo = Math.Min(latest.Index, cursors.Count == 0 ? latest.Index : cursors.Min());
            if (upTo > position.Horizon)
            {
                var horizon = await store.CompactAsync(stream, upTo, cancellationToken).ConfigureAwait(false);
                ServerLog.Compacted(_server.Logger, stream, horizon);
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _server.Options;
        var nextMaintenance = _server.Time.GetUtcNow() + options.MaintenanceInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.RegistryFlushInterval, _server.Time, stoppingToken).ConfigureAwait(false);
                try
                {
                    if (options.RunMaintenance && _server.Time.GetUtcNow() >= nextMaintenance)
                    {
                        await RunOnceAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                        nextMaintenance = _server.Time.GetUtcNow() + options.MaintenanceInterval;
                    }
                    else
                    {
                        await _server.Registry.FlushAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    ServerLog.MaintenanceFailed(_server.Logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await _server.Registry.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
