namespace Converge.Core.Merge;

/// <summary>What applying an action did.</summary>
public enum ApplyStatus
{
    /// <summary>The state changed.</summary>
    Applied,

    /// <summary>The action was valid but changed nothing (it lost every comparison, or repeated what was there).</summary>
    NoOp,

    /// <summary>The action was refused and changed nothing.</summary>
    Rejected,
}
