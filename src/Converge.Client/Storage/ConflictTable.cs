using Converge.Client.Lifecycle;
using Converge.Core.Clock;
using Converge.Core.Export;
using Converge.Core.Merge;

namespace Converge.Client.Storage;

/// <summary>The conflict inbox (<c>cv_conflicts</c>): this replica's writes that lost, one row per action and field.</summary>
internal sealed class ConflictTable(ReplicaStatements sql)
{
    private const string SummarySql = "SELECT COUNT(*), COALESCE(group_concat(COALESCE(field, '') || '@' || winning_hlc, ','), '') FROM (SELECT field, winning_hlc FROM cv_conflicts WHERE action_id = ?1 ORDER BY field)";
    private const string InsertSql = """
        INSERT INTO cv_conflicts (action_id, kind, collection, record, field, attempted, winning, winning_hlc, detected_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (action_id, field) DO NOTHING
        """;

    private const string LoadSql = "SELECT action_id, kind, collection, record, field, attempted, winning, winning_hlc, detected_at FROM cv_conflicts WHERE dismissed = 0 ORDER BY id";

    /// <summary>Replaces what the inbox says about an action with its latest conflicts; true when that changed it.</summary>
    /// <remarks>Unchanged conflicts keep their rows (and whether the app dismissed them); changed ones replace them.</remarks>
    public bool Replace(Guid actionId, IReadOnlyList<Conflict> conflicts, DateTimeOffset now)
    {
        var before = sql[SummarySql].Bind(1, actionId).Row(row => row.GetInt64(0) == 0 ? "" : row.GetText(1)) ?? "";
        var after = string.Join(',', conflicts.OrderBy(c => c.Field ?? "", StringComparer.Ordinal).Select(c => $"{c.Field ?? ""}@{c.WinningHlc}"));
        if (before == after)
        {
            return false;
        }

        sql["DELETE FROM cv_conflicts WHERE action_id = ?1"].Bind(1, actionId).Run();
        var detectedAt = StoredText.Of(now);
        foreach (var conflict in conflicts)
        {
            sql[InsertSql]
                .Bind(1, actionId)
                .Bind(2, StoredText.Of(conflict.Kind))
                .Bind(3, conflict.Collection)
                .Bind(4, conflict.Record)
                .Bind(5, conflict.Field)
                .Bind(6, conflict.Attempted is { } attempted ? CanonicalJson.ToText(attempted) : null)
                .Bind(7, conflict.Winning is { } winning ? CanonicalJson.ToText(winning) : null)
                .Bind(8, conflict.WinningHlc.ToString())
                .Bind(9, detectedAt)
                .Run();
        }

        return true;
    }

    /// <summary>The conflicts not dismissed, in the order found.</summary>
    public List<ConflictEntry> Load() =>
        sql[LoadSql].Rows(row => new ConflictEntry(
            row.GetGuid(0),
            StoredText.Kind(row.GetText(1)),
            row.GetText(2),
            row.GetGuid(3),
            row.GetTextOrNull(4),
            row.IsNull(5) ? null : CanonicalJson.Parse(row.GetText(5)),
            row.IsNull(6) ? null : CanonicalJson.Parse(row.GetText(6)),
            HybridTimestamp.Parse(row.GetText(7).AsSpan()),
            StoredText.Time(row.GetText(8))));

    public int Count() => (int)(sql["SELECT COUNT(*) FROM cv_conflicts WHERE dismissed = 0"].ScalarLong() ?? 0);

    /// <summary>Takes every conflict out of the inbox; they are remembered, so a later rebase does not report them again.</summary>
    public void DismissAll() => sql["UPDATE cv_conflicts SET dismissed = 1"].Run();
}
