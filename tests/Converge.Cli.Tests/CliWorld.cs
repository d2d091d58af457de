using Converge.Testing;

namespace Converge.Cli.Tests;

/// <summary>A real server on 127.0.0.1, a temp folder, and the real <c>converge</c> command run as a process.</summary>
internal sealed class CliWorld : IAsyncDisposable
{
    public const string Stream = "team";
    public const string Schema = """{"collections":{"person":{"fields":{"name":{"type":"string"},"email":{"type":"string","unique":"value"}}}}}""";

    private CliWorld(ServerHost host, TempDirectory directory, string token)
    {
        Host = host;
        Directory = directory;
        Token = token;
    }

    public ServerHost Host { get; }

    public TempDirectory Directory { get; }

    public string Token { get; }

    public string Server => Host.BaseAddress.ToString().TrimEnd('/');

    public static async Task<CliWorld> StartAsync()
    {
        var host = await ServerHost.StartAsync();
        return new CliWorld(host, new TempDirectory(), await host.TokenAsync("alice", Stream));
    }

    public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        CliProcess.RunAsync(arguments, Directory.Path);

    /// <summary>Runs a command that must succeed; returns its stdout without the final newline.</summary>
    public async Task<string> OkAsync(params string[] arguments)
    {
        var (code, stdout, stderr) = await RunAsync(arguments);
        code.ShouldBe(0, $"converge {string.Join(' ', arguments)} failed: {stderr}");
        stderr.ShouldBeEmpty();
        return stdout.TrimEnd('\n');
    }

    /// <summary>Runs a command that must fail with one clear line on stderr and no stack trace; returns that line.</summary>
    public async Task<string> FailsAsync(int exitCode, params string[] arguments)
    {
        var (code, stdout, stderr) = await RunAsync(arguments);
        code.ShouldBe(exitCode, $"stdout: {stdout} stderr: {stderr}");
        var lines = stderr.TrimEnd('\n').Split('\n');
        lines.Length.ShouldBe(1, stderr);
        lines[0].ShouldStartWith("converge: ");
        stderr.ShouldNotContain("   at ");
        return lines[0];
    }

    /// <summary>A replica file initialized against the server, with the people schema.</summary>
    public async Task<string> ReplicaAsync(string name, bool withSchema = true)
    {
        var file = Directory.File($"{name}.db");
        await OkAsync("init", "--replica", file, "--server", Server, "--stream", Stream, "--token", Token);
        if (withSchema)
        {
            await OkAsync("schema", "--replica", file, Schema);
        }

        return file;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Dispose();
    }
}
