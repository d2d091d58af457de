namespace Converge.Core.Errors;

/// <summary>
/// A downloaded snapshot is not the one announced: its digest differs, or its header names another stream or index.
/// Nothing of it was loaded.
/// </summary>
internal sealed class SnapshotMismatchException : TransportException
{
    /// <summary>Creates the exception with a message.</summary>
    public SnapshotMismatchException(string message)
        : base(message, null)
    {
    }

    /// <summary>The digest the server announced for the snapshot.</summary>
    public string? Digest { get; init; }

    /// <summary>The log index the server announced for the snapshot.</summary>
    public long? Index { get; init; }
}
