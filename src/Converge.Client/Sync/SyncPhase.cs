namespace Converge.Client.Sync;

/// <summary>The phases of a sync.</summary>
public enum SyncPhase
{
    /// <summary>Asking the server for new actions.</summary>
    Pulling,

    /// <summary>Applying pulled actions and rebasing pending ones.</summary>
    Applying,

    /// <summary>Sending pending actions.</summary>
    Pushing,

    /// <summary>Downloading a snapshot (bytes).</summary>
    Downloading,

    /// <summary>Loading a snapshot into the replica.</summary>
    Loading,

    /// <summary>Done.</summary>
    Done,
}
