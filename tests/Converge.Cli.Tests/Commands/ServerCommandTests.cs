using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Converge.Testing;

namespace Converge.Cli.Tests.Commands;

/// <summary>The server side of the command line: serve and token create, as real processes.</summary>
public sealed partial class ServerCommandTests
{
    [Fact]
    public async Task Serve_SaysWhereItListensAndHowToMakeACredential_ThenStopsCleanlyOnSigterm()
    {
        using var directory = new TempDirectory();
        var database = directory.File("server.db");
        using var server = await ServerProcess.StartAsync(database);

        server.Cli.Stdout.ShouldContain($"Converge server listening on {server.BaseAddress.ToString().TrimEnd('/')}");
        server.Cli.Stdout.ShouldContain("converge token create --db");
        using (var kill = Process.Start("kill", ["-TERM", server.Cli.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await server.Cli.Process.WaitForExitAsync(Eventually.Token());
        server.Cli.Process.ExitCode.ShouldBe(0);
        server.Cli.Stdout.ShouldContain("Stopped.");
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Serve_StoppedWithAWatcherConnected_ClosesItAsGoingAwayAndExitsByItself(string signal)
    {
        using var directory = new TempDirectory();
        var database = directory.File("server.db");
        var (created, token, _) = await CliProcess.RunAsync(["token", "create", "--db", database, "--create", "--stream", "team", "--principal", "alice"], directory.Path);
        created.ShouldBe(0);
        using var server = await ServerProcess.StartAsync(database);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token.TrimEnd('\n')}");
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{server.BaseAddress.Port}/v1/streams/team/watch"), CancellationToken.None);
        var buffer = new byte[256];
        (await socket.ReceiveAsync(buffer, Eventually.Token())).MessageType.ShouldBe(WebSocketMessageType.Text);

        using (var kill = Process.Start("kill", [$"-{signal}", server.Cli.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        // The server closes the socket itself, as going away; it is not cut off by the process ending.
        (await socket.ReceiveAsync(buffer, Eventually.Token())).MessageType.ShouldBe(WebSocketMessageType.Close);
        socket.CloseStatus.ShouldBe(WebSocketCloseStatus.EndpointUnavailable);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        await server.Cli.Process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        // 0 and "Stopped.": the command returned; System.CommandLine's forced end after a signal exits 143 or 130.
        server.Cli.Process.ExitCode.ShouldBe(0, server.Cli.Stderr);
        server.Cli.Stdout.ShouldContain("Stopped.");
    }

    [Fact]
    public async Task Serve_PortInUse_FailsWithOneLine()
    {
        using var directory = new TempDirectory();
        using var first = await ServerProcess.StartAsync(directory.File("a.db"));

        var (code, _, stderr) = await CliProcess.RunAsync(["serve", "--db", directory.File("b.db"), "--urls", first.BaseAddress.ToString().TrimEnd('/')], directory.Path);

        code.ShouldBe(1);
        stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain("cannot listen");
    }

    [Fact]
    public async Task Serve_PortHeldByAnotherListener_OneLineNamingTheAddressAndNoLogOnStdout()
    {
        using var directory = new TempDirectory();
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var address = $"http://127.0.0.1:{((System.Net.IPEndPoint)holder.LocalEndpoint).Port}";

        var (code, stdout, stderr) = await CliProcess.RunAsync(["serve", "--db", directory.File("s.db"), "--urls", address], directory.Path);

        code.ShouldBe(1);
        stdout.ShouldBeEmpty();
        stderr.TrimEnd('\n').Split('\n').ShouldHaveSingleItem().ShouldBe($"converge: cannot listen on {address}: the address is already in use.");
    }

    [Fact]
    public async Task TokenCreate_PrintsOnlyTheToken_WhichTheServerAccepts()
    {
        using var directory = new TempDirectory();
        var database = directory.File("server.db");

        var (code, stdout, stderr) = await CliProcess.RunAsync(["token", "create", "--db", database, "--create", "--stream", "team", "--principal", "alice"], directory.Path);

        code.ShouldBe(0);
        stderr.ShouldBeEmpty();
        var token = stdout.TrimEnd('\n');
        TokenPattern().IsMatch(token).ShouldBeTrue(token);
        using var server = await ServerProcess.StartAsync(database);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        (await client.GetAsync("/v1/streams/team/pull?after=0")).IsSuccessStatusCode.ShouldBeTrue();
        (await client.GetAsync("/v1/streams/other/pull?after=0")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TokenCreate_NoFileAtDb_RefusesWithoutCreate_AndMakesNoFile()
    {
        using var directory = new TempDirectory();
        var database = directory.File("typo.db");

        var (code, stdout, stderr) = await CliProcess.RunAsync(["token", "create", "--db", database, "--stream", "team", "--principal", "alice"], directory.Path);

        code.ShouldBe(1);
        stdout.ShouldBeEmpty();
        stderr.TrimEnd('\n').Split('\n').ShouldHaveSingleItem().ShouldBe($"converge: no server database at {database}: name the server's file, or pass --create to make a new one.");
        Directory.GetFiles(directory.Path).ShouldBeEmpty();
    }

    [GeneratedRegex("^cvg_[A-Za-z0-9_-]{43}$")]
    private static partial Regex TokenPattern();
}
