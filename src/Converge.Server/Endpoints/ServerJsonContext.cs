using System.Text.Json.Serialization;

namespace Converge.Server.Endpoints;

/// <summary>Source-generated JSON for the server's own documents.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemDocument))]
[JsonSerializable(typeof(HealthDocument))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
