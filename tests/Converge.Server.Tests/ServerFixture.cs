using Converge.Core.Actions;
using Converge.Testing;

namespace Converge.Server.Tests;

/// <summary>A started server, a stream with the people schema, and a token for it.</summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    public const string Stream = "team";
    public const string Schema = """
        {"person":{"fields":{"name":{"type":"string"},"email":{"type":"string","unique":"value"},"visits":{"type":"long","counter":true}}},
         "note":{"owned":true,"fields":{"text":{"type":"string"}}}}
        """;

    private ServerFixture(ServerHost host, string token, HttpClient client)
    {
        Host = host;
        Token = token;
        Client = client;
    }

    public ServerHost Host { get; }

    public string Token { get; }

    public HttpClient Client { get; }

    public Guid ClientId { get; } = Guid.CreateVersion7();

    public ActionFactory Writer { get; } = new(new Core.Clock.HybridClock(TimeProvider.System, new Core.Clock.NodeId(42)));

    public static async Task<ServerFixture> StartAsync(Action<Converge.Server.Hosting.ConvergeServerOptions>? configure = null, bool withSchema = true, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? web = null)
    {
        var host = await ServerHost.StartAsync(configure, host: web);
        var token = await host.TokenAsync("alice", Stream);
        var fixture = new ServerFixture(host, token, host.Client(token));
        if (withSchema)
        {
            var result = await fixture.PushAsync(fixture.Writer.Schema(Schema));
            result.Results.ShouldHaveSingleItem().Status.ShouldBe("accepted");
        }

        return fixture;
    }

    public Task<Core.Protocol.PushResponse> PushAsync(params ConvergeAction[] actions) => Wire.PushAsync(Client, Stream, ClientId, actions);

    public async Task<string> ExportAsync()
    {
        using var buffer = new MemoryStream();
        await Host.Store.ExportAsync(Stream, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public async Task<long> HeadAsync() => (await Host.Store.ReadAsync(Stream, long.MaxValue, 1)).Head;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}
