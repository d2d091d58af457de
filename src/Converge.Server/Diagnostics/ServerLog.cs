using Microsoft.Extensions.Logging;

namespace Converge.Server.Diagnostics;

/// <summary>The server's log messages, source-generated.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Push to {Stream} by {Principal}: {Accepted} accepted, {Duplicates} duplicate, {Rejected} rejected; head {Head}")]
    public static partial void Pushed(ILogger logger, string stream, string principal, int accepted, int duplicates, int rejected, long head);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Action {ActionId} on {Stream} rejected: {Code}: {Reason}")]
    public static partial void ActionRejected(ILogger logger, Guid actionId, string stream, string code, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Request refused with {Status} {Code}: {Detail}")]
    public static partial void RequestRefused(ILogger logger, int status, string code, string detail);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Snapshot of {Stream} at {Index}: {Digest} ({Length} bytes)")]
    public static partial void SnapshotWritten(ILogger logger, string stream, long index, string digest, long length);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Compacted {Stream} up to {Horizon}")]
    public static partial void Compacted(ILogger logger, string stream, long horizon);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Watcher of {Stream} dropped ({Reason}): it read too slowly")]
    public static partial void WatcherDropped(ILogger logger, string stream, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Maintenance failed")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Unhandled fault answering {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Request to {Path} abandoned: the client went away before its body arrived")]
    public static partial void ClientGone(ILogger logger, Microsoft.AspNetCore.Http.PathString path);
}
