namespace Converge.Client.Kernel;

/// <summary>
/// Test-only hooks of a replica, set through <see cref="ReplicaOptions.TestHooks"/> (internal: only the test
/// assemblies see it). A shipped replica has none, and its steps pass no switch.
/// </summary>
internal interface IReplicaTestHooks
{
    /// <summary>Called at each point a write or a step passes; a throw there is a crash at that point.</summary>
    void Reached(ReplicaTestPoint point);

    /// <summary>True to plant a known bug.</summary>
    bool Plants(ReplicaBug bug);
}
