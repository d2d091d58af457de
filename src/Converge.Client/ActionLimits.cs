using System.Text.Json;
using Converge.Core;
using Converge.Core.Actions;
using Converge.Core.Protocol;

namespace Converge.Client;

/// <summary>The server's default limits on one action, checked when it is written so it can always be pushed.</summary>
internal static class ActionLimits
{
    /// <summary>The deepest JSON nesting of a pushed request the server takes by default (values sit 4 levels down).</summary>
    public const int MaxValueDepth = 32 - 4;

    /// <summary>The longest string the server takes by default, in UTF-8 bytes.</summary>
    public const int MaxStringBytes = 256 * 1024;

    /// <summary>The largest action body, so that one action always fits a push. Default server body limit is 4 MiB.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static Rejection? Check(ConvergeAction action)
    {
        var body = ActionBody.Serialize(action);
        if (body.Length > MaxBodyBytes)
        {
            return new Rejection(RejectionCodes.InvalidAction, $"The action is {body.Length} bytes; one action may be at most {MaxBodyBytes} bytes.");
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        while (reader.Read())
        {
            if (reader.CurrentDepth > MaxValueDepth)
            {
                return new Rejection(RejectionCodes.InvalidAction, $"A value nests deeper than {MaxValueDepth} levels.");
            }

            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueSpan.Length > MaxStringBytes)
            {
                return new Rejection(RejectionCodes.InvalidAction, $"A string is longer than {MaxStringBytes} bytes.");
            }
        }

        return null;
    }
}
