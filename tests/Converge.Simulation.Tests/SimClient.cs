using Converge.Client;

namespace Converge.Simulation.Tests;

/// <summary>One simulated device: a real replica file, its own clock, and what the simulator knows it wrote.</summary>
internal sealed class SimClient(string name, string principal, string path, NodeTime time)
{
    public string Name { get; } = name;

    public string Principal { get; } = principal;

    public string Path { get; } = path;

    public NodeTime Time { get; } = time;

    public Guid ClientId { get; set; }

    public Replica? Replica { get; set; }

    public ReplicaOptions? Options { get; set; }

    /// <summary>The test hooks of the open replica: where a crash is planted.</summary>
    public SimHooks? Hooks { get; set; }

    /// <summary>The highest stamp this client's clock issued so far (for the monotonicity check across restarts).</summary>
    public Core.Clock.HybridTimestamp LastStamp { get; set; }

    /// <summary>True once it reloaded from a snapshot (its conflicts before the snapshot are not its to report).</summary>
    public bool Reloaded { get; set; }

    public int Crashes { get; set; }
}
