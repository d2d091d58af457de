namespace Converge.Client.Transport;

/// <summary>What the HTTP transport needs: where, which stream, which credential, which client.</summary>
public sealed class HttpSyncTransportOptions
{
    /// <summary>The server's base address, such as <c>http://127.0.0.1:5080/</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>The stream.</summary>
    public required string Stream { get; init; }

    /// <summary>The bearer token.</summary>
    public required string Token { get; init; }

    /// <summary>The replica's client id, sent with pulls for the server's client registry.</summary>
    public required Guid ClientId { get; init; }

    /// <summary>The clock used to time exchanges. Default the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long one request may take. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
