namespace Converge.Core.Errors;

/// <summary>
/// The server's store could not be opened or prepared: a SQLite file that cannot be opened or is not a database, or a
/// PostgreSQL database that cannot be reached or migrated. The cause is the inner exception.
/// </summary>
internal sealed class StoreUnavailableException : ConvergeException
{
    /// <summary>Creates the exception for a store.</summary>
    /// <param name="store">The store: a SQLite file's full path, or a PostgreSQL connection string without its password.</param>
    /// <param name="operation">What failed: <c>open</c>, <c>connect</c> or <c>migrate</c>.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The database driver's error.</param>
    public StoreUnavailableException(string store, string operation, string message, Exception? innerException)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(store);
        ArgumentException.ThrowIfNullOrEmpty(operation);
        Store = store;
        Operation = operation;
    }

    /// <summary>The store: a SQLite file's full path, or a PostgreSQL connection string without its password.</summary>
    public string Store { get; }

    /// <summary>What failed: <c>open</c>, <c>connect</c> or <c>migrate</c>.</summary>
    public string Operation { get; }
}
