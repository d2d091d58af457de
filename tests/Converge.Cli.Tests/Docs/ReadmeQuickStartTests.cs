using System.Diagnostics;
using System.Text.RegularExpressions;
using Converge.Testing;

namespace Converge.Cli.Tests.Docs;

/// <summary>The README's five-minute walkthrough, read from the README itself and run line by line.</summary>
public sealed partial class ReadmeQuickStartTests
{
    private static readonly string[] Files = ["quickstart-server.db", "laptop.db", "phone.db"];

    [Fact]
    public async Task ReadmeWalkthrough_RunsAsWritten_AndTheReplicasConverge()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("## Five minutes", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 4, StringComparison.Ordinal)];
        var lines = BashBlock().Matches(section).SelectMany(m => m.Groups[1].Value.Split('\n')).Where(l => l.Length > 0).ToList();
        lines.Count.ShouldBeGreaterThan(10);

        // The suite has built everything already; building again while other tests run would race them.
        lines.Remove("dotnet build").ShouldBeTrue();
        var configuration = RepositoryPaths.CliDll.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var script = string.Join('\n', lines).Replace("5080", port, StringComparison.Ordinal).Replace("bin/Debug/", $"bin/{configuration}/", StringComparison.Ordinal);

        Clean(port);
        try
        {
            var info = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script]) { WorkingDirectory = RepositoryPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
            using var bash = Process.Start(info)!;
            var stdout = bash.StandardOutput.ReadToEndAsync();
            var stderr = bash.StandardError.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            {
                try
                {
                    await bash.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    bash.Kill(entireProcessTree: true);
                    throw;
                }
            }

            await Task.WhenAny(stdout, Task.Delay(TimeSpan.FromSeconds(30)));
            stdout.IsCompleted.ShouldBeTrue("the walkthrough left a process holding its output (a server not stopped?)");

            bash.ExitCode.ShouldBe(0, await stderr);
            var output = (await stdout).Split('\n');
            var exports = output.Where(l => l.StartsWith("{\"aliases\"", StringComparison.Ordinal)).ToList();
            exports.Count.ShouldBe(3);
            exports.Distinct().ShouldHaveSingleItem().ShouldContain("hello from the laptop");
            output.ShouldContain(l => l.StartsWith("{\"id\":", StringComparison.Ordinal) && l.Contains("\"text\":\"hello from the laptop\"", StringComparison.Ordinal));
        }
        finally
        {
            Clean(port);
        }
    }

    private static void Clean(string port)
    {
        // Whatever happened, no server of this walkthrough outlives the test; only this one: the port tells it from the
        // walkthroughs of other checkouts on the same machine (a bare "quickstart-server.db" killed theirs mid-run).
        using (var stop = Process.Start("pkill", ["-f", $"serve --db quickstart-server.db --urls http://127.0.0.1:{port}$"]))
        {
            stop.WaitForExit();
        }

        foreach (var file in Files.SelectMany(f => new[] { f, f + "-wal", f + "-shm" }))
        {
            File.Delete(Path.Combine(RepositoryPaths.Root, file));
        }
    }

    [GeneratedRegex("```bash\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
