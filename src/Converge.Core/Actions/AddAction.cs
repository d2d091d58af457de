namespace Converge.Core.Actions;

/// <summary>Adds an element to a set-valued field.</summary>
public sealed record AddAction : SetElementAction
{
    /// <inheritdoc />
    public override ActionKind Kind => ActionKind.Add;
}
