using System.Text.Json.Serialization;

namespace Converge.Server.Sqlite;

/// <summary>Source-generated JSON for the few JSON columns of the store.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class SqliteStoreJsonContext : JsonSerializerContext;
