namespace Converge.Simulation.Tests;

/// <summary>One node's wall clock: the world's time, off by an offset the simulator sets (ahead, behind, jumping back).</summary>
internal sealed class NodeTime(SimClock world) : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => world.Now + Offset;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
}
