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

        // A 5xx page may be a proxy's or gateway's in front of a Converge server: kept as a status the sync retries.
        line.ShouldBe(status >= 500
            ? $"converge: sync failed: {foreign.Address}/ answered {status} {contentType}, not from Converge: a proxy or gateway in front of the server refused or failed the request."
            : $"converge: sync failed: {foreign.Address}/ is not a Converge server (it answered {status} {contentType}).");
        using var state = JsonDocument.Parse(await world.OkAsync("status", "--replica", file));
        state.RootElement.GetProperty("pending").GetInt64().ShouldBe(1);
        state.RootElement.GetProperty("rejections").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task SyncWatch_ServerStopsAndComesBack_OneLineOfflineAndOneBackOnline()
    {
        using var directory = new TempDirectory();
        var database = directory.File("server.db");
        var port = FreePort.Next();
        ServerProcess? server = await ServerProcess.StartAsync(database, port);
        var address = server.BaseAddress;
        try
        {
            var (_, token, _) = await CliProcess.RunAsync(["token", "create", "--db", database, "--stream", CliWorld.Stream, "--principal", "alice"], directory.Path);
            var replica = directory.File("r.db");
            (await CliProcess.RunAsync(["init", "--replica", replica, "--server", server.BaseAddress.ToString(), "--stream", CliWorld.Stream, "--token", token.Trim()], directory.Path)).ExitCode.ShouldBe(0);
            (await CliProcess.RunAsync(["schema", "--replica", replica, CliWorld.Schema], directory.Path)).ExitCode.ShouldBe(0);
            using var watch = CliProcess.Start(["sync", "--replica", replica, "--watch", "--json"], directory.Path);
            await WaitForAsync(() => watch.Stdout.Contains("\"pushed\":1", StringComparison.Ordinal), watch, TimeSpan.FromSeconds(60));

            server.Kill();
            server.Dispose();
            server = null;

            // The idle wait is 60 s: only the dropped watch connection tells the replica this soon.
            await WaitForAsync(() => watch.Stderr.Contains("converge: offline: ", StringComparison.Ordinal), watch, TimeSpan.FromSeconds(45));
            server = await ServerProcess.StartAsync(database, port);
            await WaitForAsync(() => watch.Stderr.Contains("converge: back online.", StringComparison.Ordinal), watch, TimeSpan.FromSeconds(120));

            var lines = watch.Stderr.TrimEnd('\n').Split('\n');
            lines.Length.ShouldBe(2, watch.Stderr);
            lines[0].ShouldStartWith($"converge: offline: Cannot reach {address}");
            lines[0].ShouldEndWith("; retrying.");
            lines[1].ShouldBe("converge: back online.");
        }
        finally
        {
            server?.Dispose();
        }
    }

    [Fact]
    public async Task SyncWatch_TokenRefused_OneLineAndExitOne_InsteadOfRetryingForever()
    {
        await using var world = await CliWorld.StartAsync();
        var file = world.Directory.File("r.db");
        await world.OkAsync("init", "--replica", file, "--server", world.Server, "--stream", CliWorld.Stream, "--token", "cvg_not-a-token");

        var (code, stdout, stderr) = await Testing.CliProcess.RunAsync(["sync", "--replica", file, "--watch"], world.Directory.Path, TimeSpan.FromSeconds(60));

        code.ShouldBe(1);
        stdout.ShouldBeEmpty();
        stderr.TrimEnd('\n').Split('\n').ShouldHaveSingleItem().ShouldStartWith("converge: sync failed: The server answered 401");
    }

    private static async Task WaitForAsync(Func<bool> condition, CliProcess process, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            process.Process.HasExited.ShouldBeFalse($"converge exited: {process.Stderr}");
            waited.Elapsed.ShouldBeLessThan(timeout, $"stdout: {process.Stdout} stderr: {process.Stderr}");
            await Task.Delay(100);
        }
    }
}
