namespace Converge.Client.Transport;

/// <summary>The server could not be reached or answered unexpectedly. Retried by the sync loop with back-off.</summary>
public class TransportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransportException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TransportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status, when the server answered.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The problem's stable code, when the server answered with one.</summary>
    public string? Code { get; init; }

    /// <summary>For a push refused as a whole because of one action: that action's position in the batch.</summary>
    public int? ActionIndex { get; init; }

    /// <summary>True for refusals that retrying will not fix (a bad credential, an unknown stream).</summary>
    public bool IsPermanent => StatusCode is 401 or 403 or 404;
}
