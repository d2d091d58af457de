namespace Converge.Server.Storage;

/// <summary>A client seen on a stream: who, when, and (on a pull) the cursor it has applied.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="ClientId">The client.</param>
/// <param name="Principal">The principal it authenticated as.</param>
/// <param name="Cursor">The highest index it has applied, when known (a pull tells); null leaves the stored cursor.</param>
/// <param name="SeenAt">When.</param>
internal sealed record ClientVisit(string Stream, Guid ClientId, string Principal, long? Cursor, DateTimeOffset SeenAt);
