using Converge.Core.Errors;
using Converge.Server.Hosting;
using Converge.Server.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Converge.Cli;

/// <summary>Builds and starts the sync server the way <c>converge serve</c> and <c>converge demo</c> run it.</summary>
internal static class ServerHosting
{
    /// <summary>How long a stopping server waits for requests in flight (watch sockets close at once, as going away).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Starts a server on <paramref name="urls"/> over a SQLite file; options come from the <c>Converge</c> configuration section.</summary>
    public static Task<WebApplication> StartAsync(string database, string urls, CancellationToken cancellationToken) =>
        StartAsync(new StoreChoice(database, null), urls, cancellationToken);

    /// <summary>Starts a server on <paramref name="urls"/> over the chosen store.</summary>
    public static async Task<WebApplication> StartAsync(StoreChoice store, string urls, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // The host logs a failure to start as a page of stack trace; the catch below says it in one line instead.
        var started = false;
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => started && level >= LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        store.Register(builder.Services.AddConvergeServer(builder.Configuration.GetSection("Converge").Bind));
        var app = builder.Build();
        app.MapConverge();
        try
        {
            await app.StartAsync(cancellationToken);
            started = true;
            return app;
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            var reason = e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException ? "the address is already in use." : e.Message;
            throw new CliException($"cannot listen on {urls}: {reason}");
        }
        catch (Exception e) when (StoreChoice.Unavailable(e) is { } failed)
        {
            await app.DisposeAsync();
            throw StoreChoice.Failed(failed);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException || e.InnerException is Npgsql.NpgsqlException)
        {
            await app.DisposeAsync();
            // The store opens as the host starts (MapConverge resolves nothing): say what Npgsql said, which names the host.
            throw new CliException($"cannot open the PostgreSQL store: {(e as Npgsql.NpgsqlException ?? e.InnerException)!.Message}");
        }
    }

    /// <summary>Where a started server listens.</summary>
    public static IReadOnlyCollection<string> Addresses(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
}
