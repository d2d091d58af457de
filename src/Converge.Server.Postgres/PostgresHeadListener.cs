using Converge.Server.Watch;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Converge.Server.Postgres;

/// <summary>
/// Hears, on a dedicated connection (<c>LISTEN converge_heads</c>), every head any node commits, and tells this node's
/// watchers. Reconnects with back-off when the connection drops.
/// </summary>
internal sealed partial class PostgresHeadListener(PostgresConvergeStore store, StreamHeads heads, TimeProvider time, ILogger<PostgresHeadListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var connection = await store.DataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                await using var connectionScope = connection.ConfigureAwait(false);
                connection.Notification += (_, e) => Publish(e.Payload);
                var listen = new NpgsqlCommand($"LISTEN {PostgresConvergeStore.Channel}", connection);
                await using (listen.ConfigureAwait(false))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                delay = TimeSpan.FromMilliseconds(200);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                ListenerDropped(logger, e);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private void Publish(string payload)
    {
        var colon = payload.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && long.TryParse(payload.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture, out var head))
        {
            heads.Publish(payload[(colon + 1)..], head);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "The PostgreSQL notification listener dropped; reconnecting")]
    private static partial void ListenerDropped(ILogger logger, Exception exception);
}
