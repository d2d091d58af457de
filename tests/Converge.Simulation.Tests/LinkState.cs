namespace Converge.Simulation.Tests;

/// <summary>The state of one client's link to the server.</summary>
internal enum LinkState
{
    /// <summary>Both ways work (faults may still strike one message).</summary>
    Up,

    /// <summary>Partitioned: nothing gets through.</summary>
    Down,

    /// <summary>One-way: requests are lost on the way to the server.</summary>
    RequestsLost,

    /// <summary>One-way: requests reach the server (which commits) but replies are lost.</summary>
    RepliesLost,
}
