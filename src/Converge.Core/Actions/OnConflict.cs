namespace Converge.Core.Actions;

/// <summary>What a create does when its record already exists (or its identity values unify it with one).</summary>
public enum OnConflict
{
    /// <summary>Merge each field last-writer-wins (the default).</summary>
    Merge,

    /// <summary>Leave the existing record as it is.</summary>
    Ignore,

    /// <summary>Replace the record: fields the create does not name are cleared, where the create is newer.</summary>
    Overwrite,
}
