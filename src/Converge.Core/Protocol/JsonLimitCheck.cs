using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace Converge.Core.Protocol;

/// <summary>
/// The one walk of JSON against the limits of <see cref="ServerLimits"/>: valid UTF-8, well-formed, no token deeper than
/// the depth limit, no string or member name longer than the string limit (in bytes as sent, escapes included), no
/// lone surrogate escaped. The server walks every request body with it; a client walks each action it writes with it,
/// at the depth the action will have in a push, so both count the same.
/// </summary>
internal static class JsonLimitCheck
{
    /// <summary>How deep a pushed action's own object sits in a push request: <c>{"actions":[{...}]}</c> puts it at depth 2.</summary>
    public const int ActionDepthInPush = 2;

    /// <summary>The first limit <paramref name="json"/> passes, with a code of <see cref="JsonLimitCodes"/>, or null when it is within every limit.</summary>
    /// <param name="json">The JSON text, UTF-8.</param>
    /// <param name="maxDepth">The deepest a token may sit, counting containers around it.</param>
    /// <param name="maxStringBytes">The longest string or member name, in bytes as written.</param>
    /// <param name="depthOffset">How deep <paramref name="json"/> will sit inside the document the limit is about (0 for the document itself).</param>
    public static Rejection? Check(ReadOnlySpan<byte> json, int maxDepth, int maxStringBytes, int depthOffset = 0)
    {
        if (!Utf8.IsValid(json))
        {
            return new Rejection(JsonLimitCodes.InvalidUtf8, "The body is not valid UTF-8.");
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = Math.Max(1, maxDepth + 2 - depthOffset), CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth + depthOffset > maxDepth)
                {
                    return new Rejection(JsonLimitCodes.JsonTooDeep, $"The JSON nests deeper than {maxDepth} levels.");
                }

                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    if ((reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > maxStringBytes)
                    {
                        return new Rejection(JsonLimitCodes.StringTooLong, $"A JSON string is longer than {maxStringBytes} bytes.");
                    }

                    if (reader.ValueIsEscaped && JsonText.HasLoneSurrogate(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan))
                    {
                        return new Rejection(JsonLimitCodes.InvalidJson, "A JSON string escapes a lone surrogate (such as \\ud800 without its pair), so it is not Unicode text.");
                    }
                }
            }

            return reader.BytesConsumed == 0 ? new Rejection(JsonLimitCodes.MalformedJson, "The body is empty; expected a JSON object.") : null;
        }
        catch (JsonException e)
        {
            return new Rejection(JsonLimitCodes.MalformedJson, $"The body is not well-formed JSON: {e.Message}");
        }
    }
}
