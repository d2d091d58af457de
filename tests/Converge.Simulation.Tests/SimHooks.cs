using Converge.Client.Kernel;

namespace Converge.Simulation.Tests;

/// <summary>The test hooks of one simulated replica: a crash armed at a point, and the bugs planted in its world.</summary>
internal sealed class SimHooks(IReadOnlySet<ReplicaBug> planted) : IReplicaTestHooks
{
    /// <summary>Called at each point the replica passes; a throw is a crash there. Null: no crash armed.</summary>
    public Action<ReplicaTestPoint>? Fault { get; set; }

    public void Reached(ReplicaTestPoint point) => Fault?.Invoke(point);

    public bool Plants(ReplicaBug bug) => planted.Contains(bug);
}
