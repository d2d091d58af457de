namespace Converge.Core.Clock;

/// <summary>What a <see cref="HybridClock"/> must remember across restarts to stay monotonic.</summary>
/// <param name="LastNanoseconds">The time part of the last stamp the clock issued or observed.</param>
/// <param name="OffsetTicks">The correction, in 100 ns ticks, added to the local wall clock (learned from a server).</param>
internal readonly record struct HybridClockState(long LastNanoseconds, long OffsetTicks);
