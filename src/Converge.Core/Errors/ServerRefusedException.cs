namespace Converge.Core.Errors;

/// <summary>
/// The server answered and refused the request with a problem: a bad credential (401), a client id of another
/// principal (403), an unknown stream (404), or a push refused as a whole (400, 413).
/// </summary>
internal sealed class ServerRefusedException : TransportException
{
    /// <summary>Creates the exception for a refusal with an HTTP status.</summary>
    public ServerRefusedException(string message, int statusCode)
        : base(message, null)
    {
        StatusCode = statusCode;
    }

    /// <summary>For a push refused as a whole because of one action: that action's position in the batch.</summary>
    public int? ActionIndex { get; init; }

    /// <inheritdoc />
    public override bool IsPermanent => StatusCode is 401 or 403 or 404;
}
