using Converge.Server.Hosting;
using Converge.Server.Postgres;
using Converge.Server.Storage;
using Converge.Server.Watch;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Beside AddConvergeServer, so `AddConvergeServer().UsePostgres(...)` needs no using of Converge's.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>AddConvergeServer().UsePostgres(connectionString)</c>.</summary>
public static class PostgresServerBuilderExtensions
{
    /// <summary>
    /// Keeps every stream in PostgreSQL, so several server nodes can share one database; the store's tables are made
    /// when missing, and watchers hear pushes committed through any node. It takes the place of any store chosen before.
    /// </summary>
    public static ConvergeServerBuilder UsePostgres(this ConvergeServerBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.Replace(ServiceDescriptor.Singleton(_ => PostgresConvergeStore.OpenAsync(connectionString).GetAwaiter().GetResult()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IConvergeStore>(sp => sp.GetRequiredService<PostgresConvergeStore>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgresHeadListener>(sp => new PostgresHeadListener(
            sp.GetRequiredService<PostgresConvergeStore>(),
            sp.GetRequiredService<StreamHeads>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PostgresHeadListener>>())));
        return builder;
    }
}
