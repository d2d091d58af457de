namespace Converge.Client.Hosting;

/// <summary>Options of a replica registered with <c>AddConvergeClient</c>.</summary>
public sealed class ConvergeClientOptions
{
    /// <summary>The replica's options (file, server, stream, token, durability, loop timings).</summary>
    public ReplicaOptions Replica { get; } = new();

    /// <summary>True to run the sync loop while the host runs. Default true.</summary>
    public bool RunSyncLoop { get; set; } = true;
}
