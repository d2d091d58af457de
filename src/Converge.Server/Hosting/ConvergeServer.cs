using Converge.Core.Clock;
using Converge.Core.Merge;
using Converge.Server.Auth;
using Converge.Server.Diagnostics;
using Converge.Server.Storage;
using Converge.Server.Watch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Converge.Server.Hosting;

/// <summary>What every endpoint of the server shares: the store, options, clock, watchers, registry, metrics and log.</summary>
internal sealed class ConvergeServer
{
    public ConvergeServer(
        IConvergeStore store,
        IOptions<ConvergeServerOptions> options,
        TimeProvider time,
        IConvergeAuthenticator authenticator,
        ServerParts parts)
    {
        Store = store;
        Options = options.Value;
        Time = time;
        Authenticator = authenticator;
        Heads = parts.Heads;
        Registry = parts.Registry;
        Metrics = parts.Metrics;
        Logger = parts.Logger;
        Clock = new HybridClock(time, NodeId.FromGuid(Guid.NewGuid()));
        Limits = new ApplyLimits
        {
            MaxCollections = Options.MaxCollections,
            MaxFieldsPerCollection = Options.MaxFieldsPerCollection,
            MaxSchemaFields = Options.MaxSchemaFields,
            MaxSetElements = Options.MaxSetElements,
            MaxRecordBytes = Options.MaxRecordBytes,
        };
    }

    public IConvergeStore Store { get; }

    public ConvergeServerOptions Options { get; }

    public TimeProvider Time { get; }

    public HybridClock Clock { get; }

    /// <summary>How far one pushed action may grow a stream's state.</summary>
    public ApplyLimits Limits { get; }

    public IConvergeAuthenticator Authenticator { get; }

    public StreamHeads Heads { get; }

    public ClientRegistry Registry { get; }

    public ConvergeMetrics Metrics { get; }

    public ILogger Logger { get; }
}
