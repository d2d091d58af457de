namespace Converge.Core.Tests.Merge.Laws;

/// <summary>What a generated step does, over the person schema of <see cref="EngineFixture"/>.</summary>
public enum StepKind
{
    /// <summary>A create with plain fields only: a name, no visits, no tags.</summary>
    CreatePlain,

    /// <summary>A create with an identity value (ssn 0-3), a name and a badge: it may unify with a live record.</summary>
    CreateIdentified,

    /// <summary>An update of the unique email: it may be refused for a value another record holds.</summary>
    UpdateEmail,

    /// <summary>An update of a record that was never created: refused.</summary>
    UpdateUnknown,

    /// <summary>A remove from the grow-only badges: refused.</summary>
    RemoveBadge,

    /// <summary>An update that replaces the tags set.</summary>
    UpdateTags,

    /// <summary>An update of the name.</summary>
    UpdateName,

    /// <summary>An update of age and score together.</summary>
    UpdateAgeScore,

    /// <summary>An add of one tag.</summary>
    AddTag,

    /// <summary>A remove of one tag.</summary>
    RemoveTag,

    /// <summary>An increment of the long counter visits.</summary>
    IncrementVisits,

    /// <summary>An increment of the decimal counter balance.</summary>
    IncrementBalance,

    /// <summary>A delete.</summary>
    Delete,

    /// <summary>An update of the flag active.</summary>
    UpdateActive,
}
