using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrimmedApp;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Note))]
[JsonSerializable(typeof(Report))]
internal sealed partial class AppJson : JsonSerializerContext;
