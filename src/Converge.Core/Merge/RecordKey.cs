namespace Converge.Core.Merge;

/// <summary>The key of a record: its collection and id.</summary>
/// <param name="Collection">The collection.</param>
/// <param name="Id">The record id.</param>
public readonly record struct RecordKey(string Collection, Guid Id)
{
    /// <inheritdoc />
    public override string ToString() => $"{Collection}/{Id:D}";
}
