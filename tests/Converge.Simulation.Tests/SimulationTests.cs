using Xunit.Abstractions;

namespace Converge.Simulation.Tests;

/// <summary>The deterministic simulation: a batch of seeds, each a whole world of clients, a server, faults and crashes.</summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Batch_AllSeeds_NoViolations_AndEveryRarePathReached()
    {
        var seeds = SimulationRunner.SeedsFromEnvironment(out var single);

        var batch = await SimulationRunner.RunAsync(seeds);

        output.WriteLine(batch.Summary);
        output.WriteLine($"reached: {batch.MustFire}");
        await Console.Error.WriteLineAsync(batch.Summary);
        foreach (var failure in batch.Failures)
        {
            output.WriteLine(failure.ToString());
        }

        if (batch.Failures.Count > 0)
        {
            SimulationRunner.Remember(batch.Failures);
        }

        batch.Failures.ShouldBeEmpty(string.Join("\n", batch.Failures.Take(3)));
        if (!single)
        {
            batch.MustFire.Missing.ShouldBeEmpty($"rare paths never reached: {string.Join(", ", batch.MustFire.Missing)}");
        }
    }

    [Fact]
    public async Task Seed_RunTwice_ReplaysExactly()
    {
        var traces = new List<string>();
        for (var run = 0; run < 2; run++)
        {
            var world = new SimWorld(4242, new MustFire());
            await using (world)
            {
                await world.RunAsync();
                world.Violations.ShouldBeEmpty();
                traces.Add(world.Trace.ToString());
            }
        }

        traces[0].Length.ShouldBeGreaterThan(1000);
        traces[1].ShouldBe(traces[0]);
    }
}
