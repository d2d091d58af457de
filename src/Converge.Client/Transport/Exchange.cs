namespace Converge.Client.Transport;

/// <summary>An answer from the server with when it was asked and answered, so the replica can learn the server's clock.</summary>
/// <typeparam name="T">The answer.</typeparam>
/// <param name="Value">The answer.</param>
/// <param name="ServerTime">The server's clock in the answer; null when the answer did not say.</param>
/// <param name="SentAt">The local time the request left.</param>
/// <param name="ReceivedAt">The local time the answer arrived.</param>
public sealed record Exchange<T>(T Value, DateTimeOffset? ServerTime, DateTimeOffset SentAt, DateTimeOffset ReceivedAt);
