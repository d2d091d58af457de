namespace Converge.Core.State;

/// <summary>A counter: the sum of every increment (and of the create's initial value).</summary>
/// <param name="Total">The sum.</param>
internal sealed record CounterState(decimal Total) : FieldState;
