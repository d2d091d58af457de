namespace Converge.Client.Tests.Query;

/// <summary>What one step of a <see cref="SampleScript"/> does.</summary>
public enum SampleStepKind
{
    /// <summary>Inserts the slot's record with the fields of <see cref="SampleStep.Mask"/> set (others left unset, so absent); a key another record holds unifies the two.</summary>
    Create,

    /// <summary>Sets one field of the slot's record (when it is live).</summary>
    Update,

    /// <summary>Adds a tag to the slot's record.</summary>
    AddTag,

    /// <summary>Removes a tag from the slot's record.</summary>
    RemoveTag,

    /// <summary>Increments the slot's counter.</summary>
    Increment,

    /// <summary>Deletes the slot's record (a tombstone).</summary>
    Delete,
}

/// <summary>One write of the property test, by one of two replicas, to one of a few record slots.</summary>
/// <param name="Kind">The write.</param>
/// <param name="Writer">0: the replica queried; 1: the other one (its writes reach the queried one only by a sync).</param>
/// <param name="Slot">Which record id.</param>
/// <param name="Field">For an update, the field (an index into <see cref="SampleDomain.Fields"/>); a tag's index otherwise.</param>
/// <param name="Pick">Which value of the field's domain; for a create, the seed of every field's value.</param>
/// <param name="Mask">For a create, which fields are set (bit per field).</param>
public sealed record SampleStep(SampleStepKind Kind, int Writer, int Slot, int Field, int Pick, int Mask)
{
    public override string ToString() => Kind switch
    {
        SampleStepKind.Create => $"{Writer}:create #{Slot} mask {Mask:x} pick {Pick}",
        SampleStepKind.Update => $"{Writer}:update #{Slot} {SampleDomain.Fields[Field % SampleDomain.Fields.Length]} pick {Pick}",
        SampleStepKind.AddTag or SampleStepKind.RemoveTag => $"{Writer}:{Kind} #{Slot} '{SampleDomain.Pick(SampleDomain.TagValues, Field)}'",
        _ => $"{Writer}:{Kind} #{Slot}",
    };
}
