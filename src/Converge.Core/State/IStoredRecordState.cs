using Converge.Core.Merge;

namespace Converge.Core.State;

/// <summary>
/// A state that keeps records in their storage form (<see cref="Serialization.RecordJson"/>) and can take one
/// already written, so a bulk load (a snapshot) does not serialize each record again.
/// </summary>
public interface IStoredRecordState : IRecordState
{
    /// <summary>Stores <paramref name="record"/>, whose storage form is <paramref name="stored"/>.</summary>
    void SetRecord(RecordKey key, RecordData record, ReadOnlySpan<byte> stored);
}
