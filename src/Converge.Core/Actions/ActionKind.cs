namespace Converge.Core.Actions;

/// <summary>The built-in kinds of action (docs/merge-rules.md, section 1).</summary>
public enum ActionKind
{
    /// <summary>Creates a record, or merges into it as <see cref="OnConflict"/> says.</summary>
    Create,

    /// <summary>Sets the fields that changed.</summary>
    Update,

    /// <summary>Deletes a record, leaving a tombstone.</summary>
    Delete,

    /// <summary>Adds an element to a set-valued field.</summary>
    Add,

    /// <summary>Removes an element from a set-valued field.</summary>
    Remove,

    /// <summary>Adds a delta to a counter field.</summary>
    Increment,

    /// <summary>Adds collections or fields to the stream's schema.</summary>
    Schema,
}
