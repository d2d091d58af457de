using Converge.Client.Lifecycle;
using Converge.Core.Actions;
using Converge.Core.Protocol;
using Converge.Core.Serialization;
using Converge.Core.State;

namespace Converge.Client.Storage;

/// <summary>The queue of this replica's actions not yet confirmed (<c>cv_pending</c>), in the order written.</summary>
internal sealed class PendingTable(ReplicaStatements sql)
{
    private const string InsertSql = "INSERT INTO cv_pending (action_id, collection, record, kind, body, status, journal, written_at) VALUES (?1, ?2, ?3, ?4, ?5, ?8, ?6, ?7)";
    private const string LoadSql = "SELECT seq, body, status, acked_index, journal FROM cv_pending ORDER BY seq LIMIT ?1";
    private const string LoadBodiesSql = "SELECT seq, body, status, acked_index FROM cv_pending ORDER BY seq LIMIT ?1";
    private const string FindSql = "SELECT status, acked_index FROM cv_pending WHERE action_id = ?1";
    private const string TouchesSql = "SELECT EXISTS (SELECT 1 FROM cv_pending WHERE collection = ?1 AND record = ?2)";

    /// <summary>Queues an action with its envelope's bytes, as they are: the bytes a push will send.</summary>
    public void Insert(ActionEnvelope envelope, UndoJournal journal, DateTimeOffset now)
    {
        var action = envelope.Action;
        var insert = sql[InsertSql].Bind(1, action.Id).Bind(4, ActionKinds.Name(action.Kind)).BindBlob(5, envelope.Body.Span)
            .BindBlob(6, JournalJson.Serialize(journal)).BindText(7, StoredText.Of(now, stackalloc byte[40])).Bind(8, StoredText.Pending);
        if (action is RecordAction record)
        {
            insert.Bind(2, record.Collection).Bind(3, record.Record);
        }

        insert.Run();
    }

    /// <summary>Rows read by <see cref="Load"/> so far, and how many of them with their journal: what a step's cost follows (tests read it).</summary>
    public (long Rows, long Journals) Loaded { get; private set; }

    /// <summary>The queue in the order written; <paramref name="limit"/> bounds it (for a push batch).</summary>
    public List<PendingAction> Load(int limit = int.MaxValue, bool withJournals = true)
    {
        var rows = withJournals
            ? sql[LoadSql].Bind(1, limit).Rows(row => Read(row, JournalJson.Deserialize(row.GetBlob(4))))
            : sql[LoadBodiesSql].Bind(1, limit).Rows(row => Read(row, UndoJournal.Empty));
        Loaded = (Loaded.Rows + rows.Count, Loaded.Journals + (withJournals ? rows.Count : 0));
        return rows;
    }

    public long Count() => sql["SELECT COUNT(*) FROM cv_pending"].ScalarLong() ?? 0;

    /// <summary>True when nothing is queued (without counting the queue).</summary>
    public bool IsEmpty() => sql["SELECT NOT EXISTS (SELECT 1 FROM cv_pending)"].ScalarLong() == 1;

    /// <summary>True when a queued action acts on the record (as the action named it).</summary>
    public bool Touches(string collection, Guid record) => sql[TouchesSql].Bind(1, collection).Bind(2, record).ScalarLong() == 1;

    /// <summary>True when a schema action is queued (the only kind that names no record).</summary>
    public bool HasSchema() => sql["SELECT EXISTS (SELECT 1 FROM cv_pending WHERE collection IS NULL)"].ScalarLong() == 1;

    /// <summary>Where a queued action stands, or null when it is not queued.</summary>
    public ActionState? Find(Guid actionId) =>
        sql[FindSql].Bind(1, actionId).Row(row => new ActionState(actionId, StoredText.Status(row.GetText(0)), row.GetInt64OrNull(1)));

    public void SetJournal(long seq, UndoJournal journal) =>
        sql["UPDATE cv_pending SET journal = ?2 WHERE seq = ?1"].Bind(1, seq).BindBlob(2, JournalJson.Serialize(journal)).Run();

    public void MarkSent(Guid actionId) => sql["UPDATE cv_pending SET status = ?2 WHERE action_id = ?1"].Bind(1, actionId).Bind(2, StoredText.Sent).Run();

    public void MarkAcknowledged(Guid actionId, long index) => sql["UPDATE cv_pending SET acked_index = ?2 WHERE action_id = ?1"].Bind(1, actionId).Bind(2, index).Run();

    /// <summary>Puts an action marked sent back to pending: the server refused its request as a whole, so no log holds it.</summary>
    public void MarkUnsent(Guid actionId) =>
        sql["UPDATE cv_pending SET status = ?2 WHERE action_id = ?1 AND acked_index IS NULL"].Bind(1, actionId).Bind(2, StoredText.Pending).Run();

    /// <summary>Replaces a queued action's body with a re-stamped one; it goes back to pending.</summary>
    public void Restamp(long seq, ActionEnvelope envelope) =>
        sql["UPDATE cv_pending SET body = ?2, status = ?3, acked_index = NULL WHERE seq = ?1"].Bind(1, seq).BindBlob(2, envelope.Body.Span).Bind(3, StoredText.Pending).Run();

    public void Remove(Guid actionId) => sql["DELETE FROM cv_pending WHERE action_id = ?1"].Bind(1, actionId).Run();

    // The stored bytes are canonical (written from an envelope): they stay the envelope's, never written again.
    private static PendingAction Read(Converge.Sqlite.RawRow row, UndoJournal journal) =>
        new(row.GetInt64(0), ActionEnvelope.FromBody(row.GetBlob(1).ToArray()), StoredText.Status(row.GetText(2)) == ActionStatus.Sent ? ActionStatus.Sent : ActionStatus.Pending, row.GetInt64OrNull(3), journal);
}
