namespace Converge.Client.Storage;

/// <summary>The keys of the replica's settings table.</summary>
internal static class ReplicaKeys
{
    public const string Stream = "stream";
    public const string Server = "server";
    public const string Token = "token";
    public const string ClientId = "client_id";
    public const string Principal = "principal";
    public const string Cursor = "cursor";
    public const string ClockLast = "clock_last";
    public const string ClockOffset = "clock_offset";
    public const string LastSyncAt = "last_sync_at";
    public const string LastSyncKind = "last_sync_kind";
    public const string LastSyncError = "last_sync_error";
    public const string MaxObserved = "max_observed";
    public const string MaxOwnLogged = "max_own_logged";
    public const string Bootstrapped = "bootstrapped";

    /// <summary>The limits the server told at <c>GET .../limits</c> (JSON of <see cref="Core.Protocol.ServerLimits"/>); absent before it told any.</summary>
    public const string ServerLimits = "server_limits";
}
