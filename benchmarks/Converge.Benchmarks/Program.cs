using Converge.Benchmarks.Harness;
using Converge.Benchmarks.Scenarios;

// Converge.Benchmarks: the figures of docs/performance.md (B1-B11), each against its baseline in the same run.
//   --quick        smaller sizes, all of them in a few minutes (default: the full sizes)
//   --out FILE     also write the results as JSON
//   --only B1,B3   run only these figures
if (args.Length > 0 && args[0] == CatchUpChild.Command)
{
    return await CatchUpChild.RunAsync(args);
}

var sizes = BenchSizes.Full;
string? outPath = null;
HashSet<string>? only = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick":
            sizes = BenchSizes.Quick;
            break;
        case "--full":
            sizes = BenchSizes.Full;
            break;
        case "--out" when i + 1 < args.Length:
            outPath = Path.GetFullPath(args[++i]);
            break;
        case "--only" when i + 1 < args.Length:
            only = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToUpperInvariant())];
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown argument '{args[i]}'; use --quick, --full, --out FILE, --only B1,B2");
            return 2;
    }
}

return await BenchRunner.RunAsync(sizes, outPath, only);
