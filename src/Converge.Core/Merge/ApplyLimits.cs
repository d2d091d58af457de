namespace Converge.Core.Merge;

/// <summary>
/// How large a stream's state may grow by one action: a write past a limit is rejected with a code and changes
/// nothing. The server applies its configured limits to every pushed action; a replica applying the log needs none
/// (the log holds only actions that passed them). Every limit is unbounded unless set.
/// </summary>
internal sealed record ApplyLimits
{
    /// <summary>No limits: what a replica applying the log uses.</summary>
    public static ApplyLimits None { get; } = new();

    /// <summary>The most collections a schema may declare (<c>schema_too_large</c>).</summary>
    public int MaxCollections { get; init; } = int.MaxValue;

    /// <summary>The most fields one collection may declare (<c>schema_too_large</c>).</summary>
    public int MaxFieldsPerCollection { get; init; } = int.MaxValue;

    /// <summary>The most fields all collections of a schema may declare together (<c>schema_too_large</c>).</summary>
    public int MaxSchemaFields { get; init; } = int.MaxValue;

    /// <summary>The most elements one set field may hold present (<c>set_too_large</c>).</summary>
    public int MaxSetElements { get; init; } = int.MaxValue;

    /// <summary>The largest set element, in bytes of its JSON text (<c>set_too_large</c>).</summary>
    public int MaxElementBytes { get; init; } = int.MaxValue;

    /// <summary>The largest stored size of one record's values and stamps, in bytes, sets aside (<c>record_too_large</c>).</summary>
    public int MaxRecordBytes { get; init; } = int.MaxValue;
}
