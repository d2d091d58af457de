namespace Converge.Client.Storage;

/// <summary>A write transaction on the replica file: committed by <see cref="Commit"/>, rolled back on dispose otherwise.</summary>
internal sealed class WriteTransaction(ReplicaFile file) : IDisposable
{
    private bool _done;

    public void Commit()
    {
        file.Commit();
        _done = true;
    }

    public void Dispose()
    {
        if (!_done)
        {
            _done = true;
            file.Rollback();
        }
    }
}
