using System.Net.Http.Headers;
using Converge.Server.Auth;
using Converge.Server.Hosting;
using Converge.Server.Sqlite;
using Converge.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Converge.Testing;

/// <summary>
/// A real Converge server on Kestrel at 127.0.0.1 on a free port, over a SQLite file in a temp folder or the store
/// <c>store</c> picks (the benchmarks share this file as source, for their SQLite and PostgreSQL servers).
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly TempDirectory? _ownDirectory;

    private ServerHost(WebApplication app, TempDirectory? ownDirectory)
    {
        App = app;
        _ownDirectory = ownDirectory;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First());
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    internal IConvergeStore Store => App.Services.GetRequiredService<IConvergeStore>();

    public ConvergeMaintenance Maintenance => App.Services.GetRequiredService<ConvergeMaintenance>();

    /// <summary>
    /// Starts a server over <paramref name="store"/>, or else SQLite at <paramref name="databasePath"/> (by default a
    /// file in a new temp folder). Maintenance runs only when a test calls it; nothing is logged unless
    /// <paramref name="host"/> adds a logger (it may also set Kestrel's limits).
    /// </summary>
    public static async Task<ServerHost> StartAsync(Action<ConvergeServerOptions>? configure = null, string? databasePath = null, TimeProvider? time = null, string urls = "http://127.0.0.1:0", Action<ConvergeServerBuilder>? store = null, Action<WebApplicationBuilder>? host = null)
    {
        var directory = store is null && databasePath is null ? new TempDirectory() : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        host?.Invoke(builder);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        var server = builder.Services.AddConvergeServer(o =>
        {
            o.RunMaintenance = false;
            configure?.Invoke(o);
        });
        (store ?? (b => b.UseSqlite(databasePath ?? directory!.File("server.db"))))(server);
        var app = builder.Build();
        app.MapConverge();
        await app.StartAsync();
        return new ServerHost(app, directory);
    }

    /// <summary>Creates a credential for the streams and returns its token.</summary>
    public Task<string> TokenAsync(string principal, params string[] streams) =>
        ConvergeCredentials.CreateAsync(Store, principal, streams, TimeProvider.System).AsTask();

    /// <summary>An HTTP client for this server, with the token as bearer credential when given.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        _ownDirectory?.Dispose();
    }
}
