using System.Text.Json;
using System.Text.Json.Serialization;

namespace Converge.Core.Protocol;

/// <summary>Source-generated JSON for every wire type: camelCase, nulls left out, unknown members refused.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    MaxDepth = 64)]
[JsonSerializable(typeof(ActionWire))]
[JsonSerializable(typeof(List<ActionWire>))]
[JsonSerializable(typeof(SchemaWire))]
[JsonSerializable(typeof(PushRequest))]
[JsonSerializable(typeof(PushResponse))]
[JsonSerializable(typeof(PullResponse))]
[JsonSerializable(typeof(SnapshotInfo))]
[JsonSerializable(typeof(WatchMessage))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(decimal))]
internal sealed partial class ConvergeJsonContext : JsonSerializerContext;
