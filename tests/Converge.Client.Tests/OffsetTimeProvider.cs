namespace Converge.Client.Tests;

/// <summary>The system clock, shifted: a device whose clock is wrong.</summary>
internal sealed class OffsetTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
