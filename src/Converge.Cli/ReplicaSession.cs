using Converge.Client;
using Converge.Core.Errors;

namespace Converge.Cli;

/// <summary>Opens the replica a command names, with clear errors for a missing or foreign file.</summary>
internal static class ReplicaSession
{
    public static Replica Open(string path)
    {
        DatabaseFile.RequireReplica(path);
        try
        {
            return Replica.Open(new ReplicaOptions { Path = path, Watch = true });
        }
        catch (ArgumentException)
        {
            // The file has the replica's tables but no stream: an init that never finished.
            throw new CliException($"no replica at {path}: create one with converge init --replica {path} --server URL --stream S --token T.");
        }
        catch (Exception e) when (e is CorruptReplicaException or ReplicaUnavailableException)
        {
            // The message names the file and what is wrong with it.
            throw new CliException(e.Message);
        }
    }

    /// <summary>Throws the local rejection of a write as a one-line error.</summary>
    public static LocalWrite Check(LocalWrite write) =>
        write.Rejection is { } rejection ? throw new CliException($"rejected ({rejection.Code}): {rejection.Message}") : write;
}
