using Xunit.Abstractions;

namespace Converge.Simulation.Tests;

/// <summary>Proof that the checker can fail: known bugs planted behind test-only switches are caught within a bounded number of seeds.</summary>
public sealed class PlantedBugTests(ITestOutputHelper output)
{
    private const int Bound = 100;

    [Fact]
    public Task ApplyingAPulledActionTwice_IsCaught() => CaughtAsync(nameof(Client.PlantedBugs.ApplyPulledTwice), () => Client.PlantedBugs.ApplyPulledTwice = true);

    [Fact]
    public Task SkippingTheUndoOfPendingActions_IsCaught() => CaughtAsync(nameof(Client.PlantedBugs.SkipUndo), () => Client.PlantedBugs.SkipUndo = true);

    [Fact]
    public Task AcceptingAPushWithoutPersistingIt_IsCaught() => CaughtAsync(nameof(Server.PlantedBugs.AcceptWithoutPersisting), () => Server.PlantedBugs.AcceptWithoutPersisting = true);

    private async Task CaughtAsync(string bug, Action plant)
    {
        for (var seed = 1; seed <= Bound; seed++)
        {
            var failure = await SimulationRunner.RunOneAsync(seed, new MustFire(), _ => plant());
            if (failure is not null)
            {
                output.WriteLine($"{bug}: caught by seed {seed}: {failure.Violations[0]}");
                return;
            }
        }

        Assert.Fail($"{bug} was planted, yet {Bound} seeds found nothing: the checker is blind to it.");
    }
}
