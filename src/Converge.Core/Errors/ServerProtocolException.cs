namespace Converge.Core.Errors;

/// <summary>
/// The answer is not the protocol: another program at the server's address (an HTML page, plain text), a body that
/// does not parse, or one that contradicts the request (results that do not match the push, a gap in the indexes).
/// </summary>
internal sealed class ServerProtocolException : TransportException
{
    /// <summary>Creates the exception with a message.</summary>
    public ServerProtocolException(string message)
        : base(message, null)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ServerProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
