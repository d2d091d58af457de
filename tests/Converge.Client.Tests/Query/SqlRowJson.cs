using System.Text.Json.Serialization;

namespace Converge.Client.Tests.Query;

[JsonSerializable(typeof(SqlRow))]
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
internal sealed partial class SqlRowJson : JsonSerializerContext;
