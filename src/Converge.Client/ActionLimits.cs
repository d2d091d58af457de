using Converge.Client.Storage;
using Converge.Core;
using Converge.Core.Actions;
using Converge.Core.Protocol;

namespace Converge.Client;

/// <summary>
/// The server's limits on one action (the core's <see cref="ServerLimits"/>), checked when it is written so it can
/// always be pushed: the limits the server told at its last sync (kept in the replica's settings), else the defaults.
/// </summary>
internal static class ActionLimits
{
    /// <summary>The limits this replica's server told, or <see cref="ServerLimits.Default"/> before it told any.</summary>
    public static ServerLimits Known(ReplicaFile file)
    {
        if (file.Meta.Get(ReplicaKeys.ServerLimits) is not { } text)
        {
            return ServerLimits.Default;
        }

        try
        {
            return ServerLimits.Parse(System.Text.Encoding.UTF8.GetBytes(text)) is { IsValid: true } limits ? limits : ServerLimits.Default;
        }
        catch (FormatException)
        {
            return ServerLimits.Default;
        }
    }

    /// <summary>Why the server would refuse a push of this action for its JSON, with the server's code, or null.</summary>
    public static Rejection? Check(ActionEnvelope envelope, ServerLimits limits) => limits.CheckAction(envelope);
}
