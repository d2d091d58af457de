using Converge.Client;

namespace Converge.Cli;

/// <summary>Opens the replica a command names, with clear errors for a missing or foreign file.</summary>
internal static class ReplicaSession
{
    public static Replica Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"no replica at {path}: create one with converge init --replica {path} --server URL --stream S --token T.");
        }

        try
        {
            return Replica.Open(new ReplicaOptions { Path = path, Watch = true });
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            throw new CliException($"{path} is not a replica file: {e.Message}");
        }
    }

    /// <summary>Throws the local rejection of a write as a one-line error.</summary>
    public static LocalWrite Check(LocalWrite write) =>
        write.Rejection is { } rejection ? throw new CliException($"rejected ({rejection.Code}): {rejection.Message}") : write;
}
