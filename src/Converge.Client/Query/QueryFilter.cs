using System.Text.Json;

namespace Converge.Client.Query;

/// <summary>One condition of a raw JSON query: a declared field (or <c>id</c>), an operator and a JSON value.</summary>
/// <param name="Field">The field's name, or <c>id</c>.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Value">The value, as the field holds it in JSON (an instant as its RFC 3339 text, a decimal as a number).</param>
public sealed record QueryFilter(string Field, QueryOperator Operator, JsonElement Value);
