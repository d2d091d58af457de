using System.Net.Http.Headers;
using System.Net.WebSockets;
using Converge.Server.Auth;
using Converge.Server.Hosting;
using Converge.Server.Sqlite;
using Converge.Server.Storage;
using Converge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Converge.Server.Tests;

/// <summary>
/// A host app of its own on Kestrel at 127.0.0.1 on a free port, which adds Converge the way an app does: the test
/// configures the builder and maps the pipeline (unlike <see cref="ServerHost"/>, which always maps <c>MapConverge()</c>).
/// Every log entry is captured in <see cref="Logs"/>.
/// </summary>
internal sealed class HostApp : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private HostApp(WebApplication app, TempDirectory directory, LogCapture logs)
    {
        App = app;
        _directory = directory;
        Logs = logs;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public LogCapture Logs { get; }

    public IConvergeStore Store => App.Services.GetRequiredService<IConvergeStore>();

    /// <summary>Builds and starts the app: Converge over SQLite in a temp folder, maintenance only when a test runs it.</summary>
    public static async Task<HostApp> StartAsync(Action<WebApplication> map, Action<WebApplicationBuilder>? configure = null, Action<ConvergeServerOptions>? options = null)
    {
        var directory = new TempDirectory();
        var logs = new LogCapture();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        builder.Services.AddConvergeServer(o =>
        {
            o.RunMaintenance = false;
            options?.Invoke(o);
        }).UseSqlite(directory.File("server.db"));
        configure?.Invoke(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new HostApp(app, directory, logs);
    }

    /// <summary>Creates a credential for the streams and returns its token.</summary>
    public Task<string> TokenAsync(string principal, params string[] streams) =>
        ConvergeCredentials.CreateAsync(Store, principal, streams, TimeProvider.System).AsTask();

    /// <summary>An HTTP client for this app, with the token as bearer credential when given.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Connects a watch socket to <paramref name="path"/> (such as <c>/v1/streams/team/watch</c>).</summary>
    public async Task<ClientWebSocket> WatchAsync(string token, string path, HttpMessageInvoker? invoker = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        await socket.ConnectAsync(new Uri(BaseAddress, path).ToWs(), invoker, CancellationToken.None);
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        _directory.Dispose();
    }
}
