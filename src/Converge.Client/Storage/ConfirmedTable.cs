namespace Converge.Client.Storage;

/// <summary>This replica's actions a log holds, with their indexes (<c>cv_confirmed</c>).</summary>
internal sealed class ConfirmedTable(ReplicaStatements sql)
{
    public void Insert(Guid actionId, long index, DateTimeOffset now) =>
        sql["INSERT INTO cv_confirmed (action_id, idx, confirmed_at) VALUES (?1, ?2, ?3) ON CONFLICT (action_id) DO NOTHING"].Bind(1, actionId).Bind(2, index).Bind(3, StoredText.Of(now)).Run();

    /// <summary>The index an action was confirmed at, or null.</summary>
    public long? Find(Guid actionId) => sql["SELECT idx FROM cv_confirmed WHERE action_id = ?1"].Bind(1, actionId).ScalarLong();

    /// <summary>Forgets that an action was confirmed (the server lost it): it is pending again.</summary>
    public void Forget(Guid actionId) => sql["DELETE FROM cv_confirmed WHERE action_id = ?1"].Bind(1, actionId).Run();
}
