namespace Converge.Core.Clock;

/// <summary>The outcome of checking a stamp against the local clock and an allowed drift.</summary>
/// <param name="IsWithinBounds">True when the stamp is at most the allowed drift ahead of the local clock.</param>
/// <param name="Ahead">How far the stamp's physical time is ahead of the local clock (negative when behind).</param>
/// <param name="Allowed">The allowed drift the stamp was checked against.</param>
internal readonly record struct DriftCheck(bool IsWithinBounds, TimeSpan Ahead, TimeSpan Allowed);
