using Converge.Core.Actions;
using Converge.Core.Protocol;

namespace Converge.Client.Storage;

/// <summary>The local log (<c>cv_log</c>): actions the server's log holds, in index order, with their canonical bodies.</summary>
internal sealed class LogTable(ReplicaStatements sql)
{
    private const string InsertSql = "INSERT INTO cv_log (idx, action_id, client_id, principal, body) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (idx) DO NOTHING";

    /// <summary>Logs an action with its envelope's bytes as they are: the server's, as it sent them, or the queue's for an own push.</summary>
    public void Insert(LoggedEnvelope logged) =>
        sql[InsertSql].Bind(1, logged.Index).Bind(2, logged.Envelope.Id).Bind(3, logged.ClientId).Bind(4, logged.Principal).BindBlob(5, logged.Envelope.Body.Span).Run();

    public List<LoggedAction> Load(long after, int limit) =>
        sql["SELECT idx, client_id, principal, body FROM cv_log WHERE idx > ?1 ORDER BY idx LIMIT ?2"].Bind(1, after).Bind(2, limit)
            .Rows(row => new LoggedAction(row.GetInt64(0), row.GetGuid(1), row.GetText(2), ActionBody.Deserialize(row.GetBlob(3))));

    /// <summary>Whether the log holds an action after <paramref name="after"/> pushed through <paramref name="clientId"/>, by anyone.</summary>
    public bool HasLoggedThrough(long after, Guid clientId) =>
        sql["SELECT 1 FROM cv_log WHERE idx > ?1 AND client_id = ?2 LIMIT 1"].Bind(1, after).Bind(2, clientId).ScalarLong() is not null;

    /// <summary>
    /// The actions after <paramref name="after"/> that <paramref name="principal"/> wrote through
    /// <paramref name="clientId"/>, in index order.
    /// </summary>
    public List<ActionEnvelope> LoadOwn(long after, Guid clientId, string principal) =>
        sql["SELECT body FROM cv_log WHERE idx > ?1 AND client_id = ?2 AND principal = ?3 ORDER BY idx"].Bind(1, after).Bind(2, clientId).Bind(3, principal)
            .Rows(row => ActionEnvelope.FromBody(row.GetBlob(0).ToArray()));

    public void Clear() => sql["DELETE FROM cv_log"].Run();
}
