namespace Converge.Client.Sync;

/// <summary>What a sync did, in the manner of a merge tool.</summary>
public enum SyncKind
{
    /// <summary>Nothing to pull and nothing to push.</summary>
    NoOp,

    /// <summary>Pulled others' actions; nothing of this replica's was pending.</summary>
    PulledOnly,

    /// <summary>Pushed this replica's actions; nothing new to pull.</summary>
    PushedOnly,

    /// <summary>Pulled others' actions and rebased this replica's pending ones on top.</summary>
    Merged,
}
