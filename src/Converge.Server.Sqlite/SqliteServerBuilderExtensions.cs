using Converge.Server.Hosting;
using Converge.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Converge.Server.Sqlite;

/// <summary><c>AddConvergeServer().UseSqlite(path)</c>.</summary>
public static class SqliteServerBuilderExtensions
{
    /// <summary>Keeps every stream in one SQLite file (created when missing).</summary>
    public static ConvergeServerBuilder UseSqlite(this ConvergeServerBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Services.AddSingleton(_ => new SqliteConvergeStore(path));
        builder.Services.AddSingleton<IConvergeStore>(sp => sp.GetRequiredService<SqliteConvergeStore>());
        return builder;
    }
}
