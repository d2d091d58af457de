namespace Converge.Core.Errors;

/// <summary>
/// A replica file could not be used: another process held it locked for longer than the busy timeout, its folder is
/// missing or not writable, or the disk is full. The file itself is sound; retrying once the cause is gone may succeed.
/// </summary>
internal sealed class ReplicaUnavailableException : ConvergeException
{
    /// <summary>Creates the exception for a replica file.</summary>
    /// <param name="file">The replica file's full path.</param>
    /// <param name="operation">What was being done (<c>open</c>).</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The storage engine's error.</param>
    public ReplicaUnavailableException(string file, string operation, string message, Exception? innerException)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentException.ThrowIfNullOrEmpty(operation);
        File = file;
        Operation = operation;
    }

    /// <summary>The replica file's full path.</summary>
    public string File { get; }

    /// <summary>What was being done (<c>open</c>).</summary>
    public string Operation { get; }
}
