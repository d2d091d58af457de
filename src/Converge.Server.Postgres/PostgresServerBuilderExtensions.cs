using Converge.Server.Hosting;
using Converge.Server.Storage;
using Converge.Server.Watch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Converge.Server.Postgres;

/// <summary><c>AddConvergeServer().UsePostgres(connectionString)</c>.</summary>
public static class PostgresServerBuilderExtensions
{
    /// <summary>
    /// Keeps every stream in PostgreSQL, so several server nodes can share one database; the store's tables are made
    /// when missing, and watchers hear pushes committed through any node.
    /// </summary>
    public static ConvergeServerBuilder UsePostgres(this ConvergeServerBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.AddSingleton(_ => PostgresConvergeStore.OpenAsync(connectionString).GetAwaiter().GetResult());
        builder.Services.AddSingleton<IConvergeStore>(sp => sp.GetRequiredService<PostgresConvergeStore>());
        builder.Services.AddSingleton<IHostedService>(sp => new PostgresHeadListener(
            sp.GetRequiredService<PostgresConvergeStore>(),
            sp.GetRequiredService<StreamHeads>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PostgresHeadListener>>()));
        return builder;
    }
}
