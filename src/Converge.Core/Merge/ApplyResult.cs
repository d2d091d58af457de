using System.Collections.Immutable;

namespace Converge.Core.Merge;

/// <summary>The outcome of applying one action: applied, a no-op, or rejected; with any conflicts.</summary>
internal sealed record ApplyResult
{
    private ApplyResult(ApplyStatus status, Rejection? rejection, ImmutableArray<Conflict> conflicts, Guid? unifiedWith)
    {
        Status = status;
        Rejection = rejection;
        Conflicts = conflicts;
        UnifiedWith = unifiedWith;
    }

    /// <summary>What the action did.</summary>
    public ApplyStatus Status { get; }

    /// <summary>Why it was refused; null unless <see cref="Status"/> is <see cref="ApplyStatus.Rejected"/>.</summary>
    public Rejection? Rejection { get; }

    /// <summary>The parts of the action that lost to newer writes or to a tombstone.</summary>
    public ImmutableArray<Conflict> Conflicts { get; }

    /// <summary>For a create unified by a unique identity: the canonical record its id is now an alias of.</summary>
    public Guid? UnifiedWith { get; }

    /// <summary>True when the action was refused.</summary>
    public bool IsRejected => Status == ApplyStatus.Rejected;

    /// <summary>A change to the state.</summary>
    public static ApplyResult Applied(ImmutableArray<Conflict> conflicts = default, Guid? unifiedWith = null) =>
        new(ApplyStatus.Applied, null, conflicts.IsDefault ? [] : conflicts, unifiedWith);

    /// <summary>No change, with the reasons.</summary>
    public static ApplyResult NoOp(ImmutableArray<Conflict> conflicts = default) =>
        new(ApplyStatus.NoOp, null, conflicts.IsDefault ? [] : conflicts, null);

    /// <summary>A refusal.</summary>
    public static ApplyResult Rejected(string code, string message) =>
        new(ApplyStatus.Rejected, new Rejection(code, message), [], null);

    /// <summary>A refusal.</summary>
    public static ApplyResult Rejected(Rejection rejection) =>
        new(ApplyStatus.Rejected, rejection, [], null);
}
