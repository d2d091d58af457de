namespace Converge.Core.Merge;

/// <summary>
/// How large a stream's state may grow by one action: a write past a limit is rejected with a code and changes
/// nothing. The server applies its configured limits to every pushed action; a replica applying the log needs none
/// (the log holds only actions that passed them).
/// </summary>
/// <param name="MaxCollections">The most collections a schema may declare (<c>schema_too_large</c>).</param>
/// <param name="MaxFieldsPerCollection">The most fields one collection may declare (<c>schema_too_large</c>).</param>
/// <param name="MaxSetElements">The most distinct elements one set field may hold, removed ones included (<c>set_too_large</c>).</param>
/// <param name="MaxRecordBytes">The largest stored size of one record's values and stamps, in bytes, sets aside (<c>record_too_large</c>).</param>
public sealed record ApplyLimits(int MaxCollections, int MaxFieldsPerCollection, int MaxSetElements, int MaxRecordBytes)
{
    /// <summary>No limits: what a replica applying the log uses.</summary>
    public static ApplyLimits None { get; } = new(int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue);
}
