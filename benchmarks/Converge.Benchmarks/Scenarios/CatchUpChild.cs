using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Converge.Client;

namespace Converge.Benchmarks.Scenarios;

/// <summary>
/// The hidden sub-command B8 runs in a child process: <c>catch-up-child SERVER STREAM TOKEN REPLICA SECONDS</c>
/// opens a new replica, syncs it to the head (or only opens it, with SERVER "-", for the baseline), and prints one
/// JSON line with its peak resident memory.
/// </summary>
internal static class CatchUpChild
{
    public const string Command = "catch-up-child";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 6)
        {
            await Console.Error.WriteLineAsync($"usage: {Command} SERVER|- STREAM TOKEN REPLICA SECONDS");
            return 2;
        }

        var started = Stopwatch.GetTimestamp();
        long pulled = 0;
        var options = new ReplicaOptions { Path = args[4], Stream = args[2] };
        if (args[1] != "-")
        {
            options.Server = new Uri(args[1]);
            options.Token = args[3];
        }

        await using (var replica = Replica.Open(options))
        {
            if (options.Server is not null)
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(double.Parse(args[5], CultureInfo.InvariantCulture)));
                pulled = (await replica.SyncAsync(cancellationToken: cancel.Token)).Pulled;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        using var process = Process.GetCurrentProcess();
        var line = JsonSerializer.Serialize(new Dictionary<string, double>
        {
            ["pulled"] = pulled,
            ["seconds"] = elapsed.TotalSeconds,
            ["peakResidentBytes"] = Status("VmHWM") ?? process.PeakWorkingSet64,
            ["residentAnonymousBytes"] = Status("RssAnon") ?? 0,
            ["residentFileBytes"] = Status("RssFile") ?? 0,
            ["gcCommittedBytes"] = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes,
            ["lastGcHeapBytes"] = GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes,
            ["allocatedBytes"] = GC.GetTotalAllocatedBytes(precise: true),
        });
        Console.WriteLine(line);
        return 0;
    }

    /// <summary>A size from /proc/self/status (Linux), in bytes: VmHWM is the peak resident set, which the OS keeps for us.</summary>
    private static long? Status(string name)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kilobytes is null ? null : long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }
}
