using Converge.Client.Kernel;
using Xunit.Abstractions;

namespace Converge.Simulation.Tests;

/// <summary>
/// Proof that the checker can fail: known bugs, planted through the client's test hooks and a decorator of the server's
/// store, are caught within a bounded number of seeds.
/// </summary>
public sealed class PlantedBugTests(ITestOutputHelper output)
{
    private const int Bound = 100;

    [Fact]
    public Task ApplyingAPulledActionTwice_IsCaught() => CaughtAsync(nameof(ReplicaBug.ApplyPulledTwice), world => world.PlantedBugs.Add(ReplicaBug.ApplyPulledTwice));

    [Fact]
    public Task SkippingTheUndoOfPendingActions_IsCaught() => CaughtAsync(nameof(ReplicaBug.SkipUndo), world => world.PlantedBugs.Add(ReplicaBug.SkipUndo));

    [Fact]
    public Task AcceptingAPushWithoutPersistingIt_IsCaught() => CaughtAsync(nameof(SimServer.AcceptWithoutPersisting), world => world.Server.AcceptWithoutPersisting = true);

    private async Task CaughtAsync(string bug, Action<SimWorld> plant)
    {
        for (var seed = 1; seed <= Bound; seed++)
        {
            var failure = await SimulationRunner.RunOneAsync(seed, new MustFire(), plant);
            if (failure is not null)
            {
                output.WriteLine($"{bug}: caught by seed {seed}: {failure.Violations[0]}");
                return;
            }
        }

        Assert.Fail($"{bug} was planted, yet {Bound} seeds found nothing: the checker is blind to it.");
    }
}
