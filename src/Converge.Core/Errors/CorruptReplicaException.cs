namespace Converge.Core.Errors;

/// <summary>
/// The file is not a replica this version can open: not a SQLite database, damaged, or written by a newer version of
/// Converge. Opening it changed nothing.
/// </summary>
internal sealed class CorruptReplicaException : ConvergeException
{
    /// <summary>Creates the exception for a replica file.</summary>
    /// <param name="file">The replica file's full path.</param>
    /// <param name="message">What is wrong with it.</param>
    /// <param name="innerException">The storage engine's error, when there is one.</param>
    public CorruptReplicaException(string file, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        File = file;
    }

    /// <summary>The replica file's full path.</summary>
    public string File { get; }
}
