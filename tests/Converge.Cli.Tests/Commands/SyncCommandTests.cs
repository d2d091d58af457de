using System.Text.Json;
using Converge.Testing;

namespace Converge.Cli.Tests.Commands;

/// <summary><c>converge sync</c> against servers that are not Converge, and <c>--watch</c> across a server restart.</summary>
public sealed class SyncCommandTests
{
    [Theory]
    [InlineData(200, "text/html", "<html><body><h1>Welcome</h1>\n<p>It works!</p></body></html>")]
    [InlineData(404, "text/html", "<html><body><h1>Not Found</h1>\n<p>nginx</p></body></html>")]
    [InlineData(400, "text/html", "<html><body><h1>Bad Request</h1></body></html>")]
    [InlineData(200, "text/plain", "hello")]
    [InlineData(500, "text/html", "<html>\n<body>oops</body>\n</html>")]
    public async Task Sync_ServerIsNotConverge_OneLineSayingSo_AndTheWriteStaysPending(int status, string contentType, string body)
    {
        await using var world = await CliWorld.StartAsync();
        await using var foreign = await ForeignServer.StartAsync(status, contentType, body);
        var file = world.Directory.File("r.db");
        await world.OkAsync("init", "--replica", file, "--server", foreign.Address, "--stream", CliWorld.Stream, "--token", world.Token);
        await world.OkAsync("schema", "--replica", file, CliWorld.Schema);

        var line = await world.FailsAsync(1, "sync", "--replica", file);

        line.ShouldBe($"converge: sync failed: {foreign.Address}/ is not a Converge server (it answered {status} {contentType}).");
        using var state = JsonDocument.Parse(await world.OkAsync("status", "--replica", file));
        state.RootElement.GetProperty("pending").GetInt64().ShouldBe(1);
        state.RootElement.GetProperty("rejections").GetInt64().ShouldBe(0);
    }
}
