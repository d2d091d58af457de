using Converge.Server.Diagnostics;
using Converge.Server.Storage;
using Converge.Server.Watch;
using Microsoft.Extensions.Logging;

namespace Converge.Server.Hosting;

/// <summary>The server's in-process parts, grouped so <see cref="ConvergeServer"/> takes few parameters.</summary>
internal sealed record ServerParts(StreamHeads Heads, ClientRegistry Registry, ConvergeMetrics Metrics, ILogger<ConvergeServer> Logger);
