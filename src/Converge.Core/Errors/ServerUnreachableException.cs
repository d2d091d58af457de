namespace Converge.Core.Errors;

/// <summary>
/// The server did not answer, or could not serve the request: no connection, a timeout, a dropped connection, a 5xx,
/// or bytes damaged or stalled on the way (408 <c>request_timeout</c>, 400 <c>invalid_body</c>). Retrying may succeed.
/// </summary>
internal sealed class ServerUnreachableException : TransportException
{
    /// <summary>Creates the exception with a message.</summary>
    public ServerUnreachableException(string message)
        : base(message, null)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ServerUnreachableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
