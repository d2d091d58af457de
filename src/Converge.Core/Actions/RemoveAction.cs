namespace Converge.Core.Actions;

/// <summary>Removes an element from a set-valued field (not from a grow-only set).</summary>
public sealed record RemoveAction : SetElementAction
{
    /// <inheritdoc />
    public override ActionKind Kind => ActionKind.Remove;
}
