using Converge.Client.Kernel;

namespace Converge.Client.Tests;

/// <summary>Test hooks that call <paramref name="reached"/> at every point a replica passes (a throw there is a crash); they plant no bug.</summary>
internal sealed class FaultHooks(Action<ReplicaTestPoint> reached) : IReplicaTestHooks
{
    public void Reached(ReplicaTestPoint point) => reached(point);

    public bool Plants(ReplicaBug bug) => false;
}
