using System.Text.Json;
using System.Text.Json.Serialization;

namespace Converge.Client.Tests.Typed;

/// <summary>Source-generated contracts of the test models, with the options the reflection default has.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Account))]
[JsonSerializable(typeof(Member))]
internal sealed partial class TypedTestJson : JsonSerializerContext;
