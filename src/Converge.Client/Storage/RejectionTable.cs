using Converge.Client.Lifecycle;
using Converge.Core;
using Converge.Core.Actions;
using Converge.Core.Protocol;

namespace Converge.Client.Storage;

/// <summary>This replica's rejected actions with their reasons (<c>cv_rejections</c>); dismissed ones are remembered.</summary>
internal sealed class RejectionTable(ReplicaStatements sql)
{
    private const string InsertSql =
        "INSERT INTO cv_rejections (action_id, body, code, message, rejected_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (action_id) DO UPDATE SET dismissed = CASE WHEN code = excluded.code AND message = excluded.message THEN dismissed ELSE 0 END, code = excluded.code, message = excluded.message";

    /// <summary>Keeps a rejected action with its envelope's bytes, as they are.</summary>
    public void Insert(ActionEnvelope envelope, Rejection rejection, DateTimeOffset now) =>
        sql[InsertSql].Bind(1, envelope.Id).BindBlob(2, envelope.Body.Span).Bind(3, rejection.Code).Bind(4, rejection.Message).Bind(5, StoredText.Of(now)).Run();

    /// <summary>The rejections not dismissed, oldest first.</summary>
    public List<RejectedAction> Load() =>
        sql["SELECT body, code, message, rejected_at FROM cv_rejections WHERE dismissed = 0 ORDER BY rejected_at, action_id"]
            .Rows(row => new RejectedAction(ActionBody.Deserialize(row.GetBlob(0)), row.GetText(1), row.GetText(2), StoredText.Time(row.GetText(3))));

    public int Count() => (int)(sql["SELECT COUNT(*) FROM cv_rejections WHERE dismissed = 0"].ScalarLong() ?? 0);

    /// <summary>An action's rejection, or null.</summary>
    public ActionState? Find(Guid actionId) =>
        sql["SELECT code, message FROM cv_rejections WHERE action_id = ?1"].Bind(1, actionId).Row(row => new ActionState(actionId, ActionStatus.Rejected, null, row.GetText(0), row.GetText(1)));

    /// <summary>Takes every rejection out of the list; they are remembered, so the actions still read as rejected. Returns how many.</summary>
    public int DismissAll() => sql["UPDATE cv_rejections SET dismissed = 1 WHERE dismissed = 0"].Execute();
}
