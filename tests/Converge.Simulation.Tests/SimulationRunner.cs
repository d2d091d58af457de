using System.Collections.Concurrent;
using System.Globalization;
using Converge.Testing;

namespace Converge.Simulation.Tests;

/// <summary>Runs batches of seeds in parallel, one world per seed, and gathers failures and must-fire counts.</summary>
internal static class SimulationRunner
{
    public const int DefaultSeeds = 2000;

    public sealed record Failure(int Seed, SimOptions Options, IReadOnlyList<string> Violations)
    {
        public override string ToString() =>
            $"seed {Seed} ({Options}) failed; replay with CONVERGE_SIM_SEED={Seed}:\n  " + string.Join("\n  ", Violations);
    }

    public sealed record Batch(int Seeds, IReadOnlyList<Failure> Failures, MustFire MustFire)
    {
        public int Violations => Failures.Sum(f => f.Violations.Count);

        public string Summary => $"simulation: {Seeds} seeds, {Violations} violations";
    }

    /// <summary>The seeds a default run covers: CONVERGE_SIM_SEED alone, or the regression list then CONVERGE_SIM_SEEDS (default 2,000) seeds.</summary>
    public static IReadOnlyList<int> SeedsFromEnvironment(out bool single)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("CONVERGE_SIM_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var one))
        {
            single = true;
            return [one];
        }

        single = false;
        var count = int.TryParse(Environment.GetEnvironmentVariable("CONVERGE_SIM_SEEDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultSeeds;
        return [.. RegressionSeeds(), .. Enumerable.Range(1, count)];
    }

    public static IEnumerable<int> RegressionSeeds() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "regression-seeds.txt"))
            .Select(l => l.Split('#')[0].Trim())
            .Where(l => l.Length > 0)
            .Select(l => int.Parse(l, CultureInfo.InvariantCulture));

    public static async Task<Batch> RunAsync(IReadOnlyList<int> seeds, Action<SimWorld>? plant = null)
    {
        var failures = new ConcurrentBag<Failure>();
        var mustFire = new MustFire();
        await Parallel.ForEachAsync(seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (seed, _) =>
        {
            var failure = await RunOneAsync(seed, mustFire, plant);
            if (failure is not null)
            {
                failures.Add(failure);
            }
        });

        return new Batch(seeds.Count, [.. failures.OrderBy(f => f.Seed)], mustFire);
    }

    public static async Task<Failure?> RunOneAsync(int seed, MustFire mustFire, Action<SimWorld>? plant = null)
    {
        var world = new SimWorld(seed, mustFire);
        await using (world)
        {
            plant?.Invoke(world);
            try
            {
                await world.RunAsync();
            }
#pragma warning disable CA1031 // A world that throws is a failure to report with its seed, not a crash of the batch.
            catch (Exception e)
#pragma warning restore CA1031
            {
                world.Violation($"the world threw: {e}");
            }

            if (Environment.GetEnvironmentVariable("CONVERGE_SIM_TRACE") is { Length: > 0 } folder)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, $"seed-{seed}.trace"), world.Trace.ToString());
            }

            return world.Violations.Count == 0 ? null : new Failure(seed, world.Options, [.. world.Violations]);
        }
    }

    /// <summary>Adds failing seeds to the regression list in the source tree, so every later batch runs them first.</summary>
    public static void Remember(IEnumerable<Failure> failures)
    {
        string path;
        try
        {
            path = Path.Combine(RepositoryPaths.Root, "tests", "Converge.Simulation.Tests", "regression-seeds.txt");
        }
        catch (InvalidOperationException)
        {
            return;
        }

        var known = File.ReadAllLines(path).Select(l => l.Split('#')[0].Trim()).ToHashSet();
        var lines = failures.Where(f => !known.Contains(f.Seed.ToString(CultureInfo.InvariantCulture)))
            .Select(f => $"{f.Seed.ToString(CultureInfo.InvariantCulture)} # {f.Violations[0].Split('\n')[0]}");
        File.AppendAllLines(path, lines);
    }
}
