namespace Converge.Simulation.Tests;

/// <summary>The one virtual time of a simulated world; only the simulator moves it.</summary>
internal sealed class SimClock
{
    public SimClock(DateTimeOffset start)
    {
        Now = start;
    }

    public DateTimeOffset Now { get; private set; }

    public void Advance(TimeSpan by) => Now += by > TimeSpan.Zero ? by : TimeSpan.Zero;
}
