namespace Converge.Simulation.Tests;

/// <summary>The shape of one world, drawn from its seed (and printed with it on a failure).</summary>
internal sealed record SimOptions(int Clients, int Principals, int Events, int SnapshotEvery, int PushBatch, int PullBatch)
{
    /// <summary>
    /// Whether the server decides one action per turn at the writer (each push goes on in further turns) rather than a
    /// whole push in one. Taken from the seed, not drawn from the world's generator, so every other draw stays as it was.
    /// </summary>
    public bool OneActionTurns { get; init; }

    /// <summary>
    /// The server's <c>MaxWriteTurn</c>. It is measured on the real clock, so left at its default a push would split
    /// into turns as the machine's load decides and a failure would not replay from its seed; here it is either
    /// 1 tick (a turn always outlasts it after its first action) or never reached.
    /// </summary>
    public TimeSpan MaxWriteTurn => OneActionTurns ? TimeSpan.FromTicks(1) : TimeSpan.MaxValue;

    public static SimOptions From(Random random) => new(
        Clients: 2 + (int)(Math.Pow(random.NextDouble(), 2) * 7),
        Principals: random.Next(1, 4),
        Events: random.Next(40, 110),
        SnapshotEvery: random.Next(5, 40),
        PushBatch: random.Next(1, 12),
        PullBatch: random.Next(2, 30));
}
