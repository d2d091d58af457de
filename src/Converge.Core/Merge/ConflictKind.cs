namespace Converge.Core.Merge;

/// <summary>Why a write did not take effect.</summary>
public enum ConflictKind
{
    /// <summary>A write with a newer stamp already set the value: last writer wins.</summary>
    LostToNewerWrite,

    /// <summary>The record is deleted: deletes win.</summary>
    RecordDeleted,
}
