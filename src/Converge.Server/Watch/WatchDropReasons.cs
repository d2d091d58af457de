namespace Converge.Server.Watch;

/// <summary>Why a watcher was dropped: the <c>reason</c> of its log entry and of <c>converge.watchers.dropped</c>.</summary>
internal static class WatchDropReasons
{
    /// <summary>More heads waited for it than its buffer holds.</summary>
    public const string Overflow = "overflow";

    /// <summary>One send took longer than the send timeout.</summary>
    public const string SendTimeout = "send_timeout";
}
