namespace Converge.Simulation.Tests;

/// <summary>The shape of one world, drawn from its seed (and printed with it on a failure).</summary>
internal sealed record SimOptions(int Clients, int Principals, int Events, int SnapshotEvery, int PushBatch, int PullBatch)
{
    public static SimOptions From(Random random) => new(
        Clients: 2 + (int)(Math.Pow(random.NextDouble(), 2) * 7),
        Principals: random.Next(1, 4),
        Events: random.Next(40, 110),
        SnapshotEvery: random.Next(5, 40),
        PushBatch: random.Next(1, 12),
        PullBatch: random.Next(2, 30));
}
