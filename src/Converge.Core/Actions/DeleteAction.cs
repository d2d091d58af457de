namespace Converge.Core.Actions;

/// <summary>Deletes a record. The tombstone is final.</summary>
public sealed record DeleteAction : RecordAction
{
    /// <inheritdoc />
    public override ActionKind Kind => ActionKind.Delete;
}
