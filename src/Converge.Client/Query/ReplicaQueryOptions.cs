namespace Converge.Client.Query;

/// <summary>A query of the raw JSON API: every filter must hold; sorted by the keys, then by id; then paged.</summary>
public sealed record ReplicaQueryOptions
{
    /// <summary>The conditions, all of which must hold. Default none.</summary>
    public IReadOnlyList<QueryFilter> Where { get; init; } = [];

    /// <summary>The sort keys, in order; the id breaks ties. Default none (by id).</summary>
    public IReadOnlyList<QueryOrder> OrderBy { get; init; } = [];

    /// <summary>Records skipped. Default 0.</summary>
    public int Skip { get; init; }

    /// <summary>Records returned at most; null for all.</summary>
    public int? Limit { get; init; }
}
