namespace Converge.Core.Protocol;

/// <summary>A pull's answer read by <see cref="PullResponseReader"/>: the logged actions in their envelopes, and where the log stands.</summary>
/// <param name="Actions">The logged actions after the cursor, in the order sent.</param>
/// <param name="Head">The stream's highest index.</param>
/// <param name="Principal">The principal the server authenticated the pull as, when it said.</param>
/// <param name="ServerTime">The server's clock when it answered.</param>
internal sealed record PulledPage(IReadOnlyList<LoggedEnvelope> Actions, long Head, string? Principal, DateTimeOffset ServerTime);
