using System.Text.Json;
using Converge.Core.Export;

namespace Converge.Testing;

/// <summary>Short-hands for JSON values in tests.</summary>
public static class Json
{
    /// <summary>Parses JSON text into a self-contained element.</summary>
    public static JsonElement Parse(string json) => CanonicalJson.Parse(json);

    /// <summary>Parses a JSON object into its members.</summary>
    public static Dictionary<string, JsonElement> Members(string json) =>
        Parse(json).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
}
