using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Converge.Benchmarks.Harness;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// B8: the peak resident memory (VmHWM) of a client process catching up a log of N actions from scratch (no
/// snapshot on the server, so it pulls and applies them all). The client runs in a child process, this program
/// re-invoked with <see cref="CatchUpChild.Command"/>; a child that only opens a replica gives the runtime's baseline.
/// </summary>
internal sealed class CatchUpMemoryScenario : IScenario
{
    public string Id => "B8";

    public string Title => "peak memory of a client catching up";

    public async Task<BenchResult> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizes = context.Sizes;
        var stream = await context.Fixture.StreamAsync(sizes.CatchUpActions);
        var server = await context.Fixture.ServerAsync();
        var limit = sizes.LoopLimit * 2;
        var baseline = await RunChildAsync(["-", stream.Name, "-", context.Temp.File("b8-baseline.db"), "60"], TimeSpan.FromMinutes(1));
        var run = await RunChildAsync([server.BaseAddress.ToString(), stream.Name, stream.Token, context.Temp.File("b8-replica.db"), limit.TotalSeconds.ToString(CultureInfo.InvariantCulture)], limit + TimeSpan.FromMinutes(1));
        if (run["pulled"] != stream.Head)
        {
            throw new InvalidOperationException($"The child pulled {run["pulled"]} actions, not {stream.Head}.");
        }

        var megabytes = run["peakResidentBytes"] / 1048576;
        return new BenchResult(Id, Title, megabytes, "MB", null, $"{sizes.CatchUpActions:N0} actions")
        {
            RatioMeaning = "none",
            Target = "<= 100 MB",
            MeetsTarget = megabytes <= 100,
            Details = new Dictionary<string, double>
            {
                ["baselineMB"] = baseline["peakResidentBytes"] / 1048576,
                ["lastGcHeapMB"] = run["lastGcHeapBytes"] / 1048576,
                ["gcCommittedMBAtEnd"] = run["gcCommittedBytes"] / 1048576,
                ["residentAnonymousMBAtEnd"] = run["residentAnonymousBytes"] / 1048576,
                ["residentFileMBAtEnd"] = run["residentFileBytes"] / 1048576,
                ["baselineAnonymousMB"] = baseline["residentAnonymousBytes"] / 1048576,
                ["baselineFileMB"] = baseline["residentFileBytes"] / 1048576,
                ["allocatedMB"] = run["allocatedBytes"] / 1048576,
                ["allocatedBytesPerAction"] = run["allocatedBytes"] / run["pulled"],
                ["seconds"] = run["seconds"],
                ["actionsPerSecond"] = run["pulled"] / run["seconds"],
            },
            Note = "peak resident set (VmHWM) of the whole child process, runtime included; baselineMB is a child that only opens a replica; allocatedBytesPerAction is everything the child allocated (opening the replica included) over the actions it pulled",
        };
    }

    private static async Task<Dictionary<string, double>> RunChildAsync(string[] arguments, TimeSpan limit)
    {
        var self = Environment.ProcessPath!;
        var info = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? new ProcessStartInfo(self, [Assembly.GetEntryAssembly()!.Location, CatchUpChild.Command, .. arguments])
            : new ProcessStartInfo(self, [CatchUpChild.Command, .. arguments]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"The catch-up child took longer than {limit.TotalSeconds:0} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The catch-up child failed ({process.ExitCode}): {await stderr}");
        }

        var line = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonSerializer.Deserialize<Dictionary<string, double>>(line)!;
    }
}
