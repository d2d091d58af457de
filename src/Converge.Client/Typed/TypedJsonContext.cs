using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Converge.Client.Typed;

/// <summary>Source-generated JSON for the typed API's own plumbing.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class TypedJsonContext : JsonSerializerContext;
