using Converge.Client.Storage;
using Converge.Client.Transport;

namespace Converge.Client.Kernel;

/// <summary>What opening a replica file settles: a new file's identity, and the server and token the options give.</summary>
internal static class ReplicaSettings
{
    /// <summary>Checks the options against the file and stores what they add, in one transaction.</summary>
    /// <exception cref="ArgumentException">A new file without a stream, or a file of another stream.</exception>
    public static void Apply(ReplicaFile file, ReplicaOptions options)
    {
        var meta = file.Meta;
        var stored = meta.Get(ReplicaKeys.Stream);
        if (stored is null && string.IsNullOrWhiteSpace(options.Stream))
        {
            throw new ArgumentException($"'{options.Path}' is not a replica yet: set ReplicaOptions.Stream to create one.", nameof(options));
        }

        if (stored is not null && options.Stream is not null && stored != options.Stream)
        {
            throw new ArgumentException($"'{options.Path}' holds stream '{stored}', not '{options.Stream}'.", nameof(options));
        }

        using var transaction = file.Write();
        if (stored is null)
        {
            meta.Set(ReplicaKeys.Stream, options.Stream);
            meta.Set(ReplicaKeys.ClientId, options.NewId().ToString("D"));
            meta.Set(ReplicaKeys.Cursor, 0);
            file.BindStream(options.Stream!);
        }

        if (options.Server is not null)
        {
            meta.Set(ReplicaKeys.Server, options.Server.ToString());
        }

        if (options.Token is not null)
        {
            // Another token may be another principal: the one learned under the old token is not this
            // replica's until an answer of the server (a pull's, a push's) says so again; a restore then
            // re-pushes none of the old one's actions, and waits for the answer before it reloads.
            if (meta.Get(ReplicaKeys.Token) is { } before && before != options.Token)
            {
                meta.Set(ReplicaKeys.Principal, null);
            }

            meta.Set(ReplicaKeys.Token, options.Token);
        }

        transaction.Commit();
    }

    /// <summary>The HTTP transport to the server the file names, or null when it names none (or no token).</summary>
    public static HttpSyncTransport? HttpTransport(ReplicaFile file, Guid clientId, TimeProvider time)
    {
        if (file.Meta.Get(ReplicaKeys.Server) is not { } server || file.Meta.Get(ReplicaKeys.Token) is not { } token)
        {
            return null;
        }

        return new HttpSyncTransport(new HttpSyncTransportOptions
        {
            Server = new Uri(server.EndsWith('/') ? server : server + "/"),
            Stream = file.Meta.Get(ReplicaKeys.Stream)!,
            Token = token,
            ClientId = clientId,
            Time = time,
        });
    }
}
