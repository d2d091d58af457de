using Converge.Core.Clock;
using Converge.Core.Merge;
using Converge.Core.Protocol;
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
        Limits = Options.ToLimits();
        ApplyLimits = Limits.ToApplyLimits();
    }

    public IConvergeStore Store { get; }

    public ConvergeServerOptions Options { get; }

    public TimeProvider Time { get; }

    public HybridClock Clock { get; }

    /// <summary>The limits every push is held to, as the options set them: enforced here, and told to clients at <c>GET .../limits</c>.</summary>
    public ServerLimits Limits { get; }

    /// <summary>How far one pushed action may grow a stream's state (the merge engine's part of <see cref="Limits"/>).</summary>
    public ApplyLimits ApplyLimits { get; }

    public IConvergeAuthenticator Authenticator { get; }

    public StreamHeads Heads { get; }

    public ClientRegistry Registry { get; }

    public ConvergeMetrics Metrics { get; }

    public ILogger Logger { get; }
}
