namespace Converge.Core.Actions;

/// <summary>Adds a delta (which may be negative) to a counter field.</summary>
public sealed record IncrementAction : RecordAction
{
    /// <summary>The counter field.</summary>
    public required string Field { get; init; }

    /// <summary>The amount to add; an integer for a long counter.</summary>
    public required decimal Delta { get; init; }

    /// <inheritdoc />
    public override ActionKind Kind => ActionKind.Increment;
}
