namespace Converge.Core.Errors;

/// <summary>
/// A sync exchange with the server failed: it could not be reached, refused the request, answered outside the
/// protocol, or sent a snapshot that does not match. The sync loop retries these with back-off.
/// </summary>
internal abstract class TransportException : ConvergeException
{
    private protected TransportException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The server's address, when the transport knows it.</summary>
    public Uri? Server { get; init; }

    /// <summary>The exchange that failed (<c>pull</c>, <c>push</c>, <c>snapshot</c> or <c>watch</c>), when known.</summary>
    public string? Operation { get; init; }

    /// <summary>The HTTP status, when the server (or a proxy in front of it) answered.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The problem's stable code (<see cref="ProblemCodes"/>, <see cref="RejectionCodes"/>), when the answer had one.</summary>
    public string? Code { get; init; }

    /// <summary>True for refusals that retrying will not fix (a bad credential, an unknown stream).</summary>
    public virtual bool IsPermanent => false;
}
