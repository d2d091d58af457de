using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Converge.Testing;

/// <summary>An HTTP server on 127.0.0.1 that is not Converge: it answers every request with one status, content type and body, or as a handler says.</summary>
public sealed class ForeignServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ForeignServer(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's address, without a trailing slash.</summary>
    public string Address { get; }

    public static Task<ForeignServer> StartAsync(int status, string contentType, string body) =>
        StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });

    /// <summary>Starts a server that answers every request with <paramref name="handler"/> (a proxy in front of Converge, say).</summary>
    public static async Task<ForeignServer> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ForeignServer(app, address.TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
