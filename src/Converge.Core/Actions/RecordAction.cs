namespace Converge.Core.Actions;

/// <summary>An action on one record.</summary>
public abstract record RecordAction : ConvergeAction
{
    /// <summary>The collection of the record.</summary>
    public required string Collection { get; init; }

    /// <summary>The id of the record (or of an alias of it).</summary>
    public required Guid Record { get; init; }
}
