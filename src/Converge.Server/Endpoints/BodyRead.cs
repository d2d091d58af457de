namespace Converge.Server.Endpoints;

/// <summary>What reading a request body gave: the bytes, or the problem to answer.</summary>
internal readonly record struct BodyRead
{
    /// <summary>The body, when it arrived whole.</summary>
    public byte[]? Body { get; init; }

    /// <summary>The status of the problem to answer when there is no body.</summary>
    public int Status { get; init; }

    /// <summary>The problem's stable code when there is no body.</summary>
    public string? Code { get; init; }

    /// <summary>The problem's detail when there is no body.</summary>
    public string? Detail { get; init; }

    /// <summary>True when the connection broke before the body arrived: most likely nobody hears the answer.</summary>
    public bool ClientGone { get; init; }

    public static BodyRead Of(byte[] body) => new() { Body = body };

    public static BodyRead Problem(int status, string code, string detail, bool clientGone = false) =>
        new() { Status = status, Code = code, Detail = detail, ClientGone = clientGone };
}
