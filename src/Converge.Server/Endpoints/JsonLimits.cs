using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Converge.Core;
using Converge.Core.Protocol;

namespace Converge.Server.Endpoints;

/// <summary>Checks a request body before it is deserialized: valid UTF-8, well-formed JSON, depth and string limits, strings that are text.</summary>
internal static class JsonLimits
{
    /// <summary>The problem with the body, as (code, detail), or null when it is within every limit.</summary>
    public static (string Code, string Detail)? Check(ReadOnlySpan<byte> body, int maxDepth, int maxStringBytes)
    {
        if (!Utf8.IsValid(body))
        {
            return (ProblemCodes.InvalidUtf8, "The body is not valid UTF-8.");
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth + 2, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth > maxDepth)
                {
                    return (ProblemCodes.JsonTooDeep, $"The JSON nests deeper than {maxDepth} levels.");
                }

                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    if ((reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > maxStringBytes)
                    {
                        return (ProblemCodes.StringTooLong, $"A JSON string is longer than {maxStringBytes} bytes.");
                    }

                    if (reader.ValueIsEscaped && JsonText.HasLoneSurrogate(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan))
                    {
                        return (ProblemCodes.InvalidJson, "A JSON string escapes a lone surrogate (such as \\ud800 without its pair), so it is not Unicode text.");
                    }
                }
            }

            return reader.BytesConsumed == 0 ? (ProblemCodes.MalformedJson, "The body is empty; expected a JSON object.") : null;
        }
        catch (JsonException e)
        {
            return (ProblemCodes.MalformedJson, $"The body is not well-formed JSON: {e.Message}");
        }
    }
}
