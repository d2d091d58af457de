using Converge.Server.Hosting;
using Converge.Server.Sqlite;
using Converge.Server.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

// Beside AddConvergeServer, so `AddConvergeServer().UseSqlite(path)` needs no using of Converge's.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>AddConvergeServer().UseSqlite(path)</c>.</summary>
public static class SqliteServerBuilderExtensions
{
    /// <summary>Keeps every stream in one SQLite file (created when missing), in place of any store chosen before.</summary>
    public static ConvergeServerBuilder UseSqlite(this ConvergeServerBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Services.Replace(ServiceDescriptor.Singleton(_ => new SqliteConvergeStore(path)));
        builder.Services.Replace(ServiceDescriptor.Singleton<IConvergeStore>(sp => sp.GetRequiredService<SqliteConvergeStore>()));
        return builder;
    }
}
