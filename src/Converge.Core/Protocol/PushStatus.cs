namespace Converge.Core.Protocol;

/// <summary>The values of <see cref="PushResult.Status"/>.</summary>
internal static class PushStatus
{
    /// <summary>The action entered the log at <see cref="PushResult.Index"/>.</summary>
    public const string Accepted = "accepted";

    /// <summary>The log already held this action, at <see cref="PushResult.Index"/>.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>The action was refused, for <see cref="PushResult.Code"/>; the log does not hold it.</summary>
    public const string Rejected = "rejected";
}
