using System.Text.Json;
using Converge.Client.Query;
using Converge.Core.Schema;

namespace Converge.Cli;

/// <summary>
/// Parses <c>converge query</c>'s <c>--where</c> and <c>--order</c> into a <see cref="ReplicaQueryOptions"/>:
/// <c>FIELD OP VALUE</c> conditions joined by <c>and</c> (OP one of <c>= != &lt; &lt;= &gt; &gt;=</c>, or <c>has</c> for
/// set membership), values as JSON or, for string, instant and uuid fields, bare text; <c>FIELD[:desc]</c> sort keys.
/// A mistake is a usage error naming the bad token.
/// </summary>
internal static class QueryArguments
{
    private static readonly (string Text, QueryOperator Operator)[] Operators =
    [
        ("<=", QueryOperator.LessThanOrEqual), (">=", QueryOperator.GreaterThanOrEqual), ("!=", QueryOperator.NotEqual), ("==", QueryOperator.Equal),
        ("=", QueryOperator.Equal), ("<", QueryOperator.LessThan), (">", QueryOperator.GreaterThan),
    ];

    /// <summary>The filters of every <c>--where</c> (all must hold).</summary>
    /// <exception cref="CliException">A condition is malformed, names an undeclared field, or has a value its field cannot hold.</exception>
    public static List<QueryFilter> Where(IEnumerable<string> expressions, string collection, CollectionSchema schema)
    {
        var filters = new List<QueryFilter>();
        foreach (var expression in expressions)
        {
            var position = 0;
            while (true)
            {
                filters.Add(Condition(expression, ref position, collection, schema));
                SkipSpace(expression, ref position);
                if (position == expression.Length)
                {
                    break;
                }

                var joiner = Word(expression, ref position);
                if (!joiner.Equals("and", StringComparison.OrdinalIgnoreCase) && joiner != "&&")
                {
                    throw Bad(joiner.Equals("or", StringComparison.OrdinalIgnoreCase) ? $"'{joiner}' is not supported: conditions are joined by 'and'" : $"unexpected '{joiner}' after a condition: expected 'and'", expression);
                }
            }
        }

        return filters;
    }

    /// <summary>The sort keys of every <c>--order</c> (each <c>FIELD[:desc|:asc]</c>, several separated by commas).</summary>
    public static List<QueryOrder> Order(IEnumerable<string> orders, string collection, CollectionSchema schema)
    {
        var keys = new List<QueryOrder>();
        foreach (var key in orders.SelectMany(o => o.Split(',', StringSplitOptions.TrimEntries)))
        {
            var (field, direction) = key.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? (key[..colon], key[(colon + 1)..]) : (key, "asc");
            var descending = direction.ToUpperInvariant() switch
            {
                "ASC" => false,
                "DESC" => true,
                _ => throw new CliException($"--order: '{direction}' is not a direction in '{key}': expected FIELD, FIELD:asc or FIELD:desc.", ExitCodes.Usage),
            };
            if (Field(field, collection, schema) is { } declared && (declared.IsSet || declared.Type == FieldType.Json))
            {
                throw new CliException($"--order: '{field}' is a {(declared.IsSet ? "set" : "JSON")} field, which has no order.", ExitCodes.Usage);
            }

            keys.Add(new QueryOrder(field, descending));
        }

        return keys;
    }

    private static QueryFilter Condition(string expression, ref int position, string collection, CollectionSchema schema)
    {
        SkipSpace(expression, ref position);
        var start = position;
        while (position < expression.Length && (char.IsAsciiLetterOrDigit(expression[position]) || expression[position] is '_' or '-'))
        {
            position++;
        }

        var name = expression[start..position];
        if (name.Length == 0)
        {
            throw Bad(position == expression.Length ? "expected a condition (FIELD OP VALUE) at the end" : $"unexpected '{Rest(expression, position)}': expected a field name", expression);
        }

        var field = Field(name, collection, schema);
        SkipSpace(expression, ref position);
        var op = ReadOperator(expression, ref position) ?? throw Bad($"expected an operator (= != < <= > >= has) after '{name}', not '{Rest(expression, position)}'", expression);
        SkipSpace(expression, ref position);
        if (position == expression.Length)
        {
            throw Bad($"expected a value after '{name}'", expression);
        }

        var value = ReadValue(expression, ref position);
        return new QueryFilter(name, op, Json(value, name, field, op, expression));
    }

    private static QueryOperator? ReadOperator(string expression, ref int position)
    {
        foreach (var (text, op) in Operators)
        {
            if (string.CompareOrdinal(expression, position, text, 0, text.Length) == 0)
            {
                position += text.Length;
                return op;
            }
        }

        var start = position;
        if (Word(expression, ref position).Equals("has", StringComparison.OrdinalIgnoreCase))
        {
            return QueryOperator.Contains;
        }

        position = start;
        return null;
    }

    /// <summary>A quoted JSON string (with its quotes), or the text up to the next space.</summary>
    private static string ReadValue(string expression, ref int position)
    {
        var start = position;
        if (expression[position] == '"')
        {
            position++;
            while (position < expression.Length && expression[position] != '"')
            {
                position += expression[position] == '\\' ? 2 : 1;
            }

            if (position >= expression.Length)
            {
                throw Bad($"the string {expression[start..]} has no closing quote", expression);
            }

            return expression[start..++position];
        }

        return Word(expression, ref position);
    }

    private static JsonElement Json(string value, string name, FieldSchema? field, QueryOperator op, string expression)
    {
        var type = field?.Type ?? FieldType.Uuid;
        if (value[0] != '"' && value != "null" && type is FieldType.String or FieldType.Instant or FieldType.Uuid or FieldType.Ref)
        {
            // Bare text is the value itself for the fields that hold text: title=milk, due<2026-12-01T00:00:00Z.
            return StringJson(value);
        }

        try
        {
            using var document = JsonDocument.Parse(value);
            var json = document.RootElement.Clone();
            var fits = json.ValueKind == JsonValueKind.Null ? op != QueryOperator.Contains : Fits(type, json);
            return fits ? json : throw Bad($"'{value}' does not fit the {Describe(field, type)} field '{name}'", expression);
        }
        catch (JsonException)
        {
            throw Bad($"'{value}' is not a value for the {Describe(field, type)} field '{name}' (a JSON value; quote strings: \"...\")", expression);
        }
    }

    private static string Describe(FieldSchema? field, FieldType type) => (field?.IsSet == true ? "set of " : "") + type.ToString().ToLowerInvariant();

    private static JsonElement StringJson(string value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(value);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static bool Fits(FieldType type, JsonElement json) => type switch
    {
        FieldType.Long => json.ValueKind == JsonValueKind.Number && json.TryGetInt64(out _),
        FieldType.Double or FieldType.Decimal => json.ValueKind == JsonValueKind.Number,
        FieldType.Bool => json.ValueKind is JsonValueKind.True or JsonValueKind.False,
        FieldType.String or FieldType.Instant or FieldType.Uuid or FieldType.Ref => json.ValueKind == JsonValueKind.String,
        _ => true,
    };

    private static FieldSchema? Field(string name, string collection, CollectionSchema schema) =>
        name == "id" ? null
        : schema.Fields.GetValueOrDefault(name)
            ?? throw new CliException($"'{name}' is not a declared field of '{collection}' (fields: id{string.Concat(schema.Fields.Keys.Select(k => ", " + k))}).", ExitCodes.Usage);

    private static string Word(string expression, ref int position)
    {
        var start = position;
        while (position < expression.Length && !char.IsWhiteSpace(expression[position]))
        {
            position++;
        }

        return expression[start..position];
    }

    private static void SkipSpace(string expression, ref int position)
    {
        while (position < expression.Length && char.IsWhiteSpace(expression[position]))
        {
            position++;
        }
    }

    private static string Rest(string expression, int position) => expression[position..].Split(' ', 2)[0];

    private static CliException Bad(string message, string expression) => new($"--where: {message} (in \"{expression}\").", ExitCodes.Usage);
}
