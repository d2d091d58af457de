using Converge.Core.Merge;

namespace Converge.Core.State;

/// <summary>
/// A state that keeps records in their storage form (<see cref="Serialization.RecordJson"/>) and can take one
/// already written, so a bulk load (a snapshot) does not serialize each record again.
/// </summary>
internal interface IStoredRecordState : IRecordState
{
    /// <summary>Stores the record whose storage form is <paramref name="stored"/>, already checked, under <paramref name="key"/>.</summary>
    void SetStoredRecord(RecordKey key, ReadOnlySpan<byte> stored);
}
