namespace Converge.Client.Storage;

/// <summary>A write transaction on the replica file: committed by <see cref="Commit"/>, rolled back on dispose otherwise.</summary>
internal sealed class WriteTransaction(ReplicaDatabase database) : IDisposable
{
    private bool _done;

    public void Commit()
    {
        database.Commit();
        _done = true;
    }

    public void Dispose()
    {
        if (!_done)
        {
            _done = true;
            database.Rollback();
        }
    }
}
