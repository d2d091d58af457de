namespace Converge.Core.Protocol;

/// <summary>The stable codes of <see cref="JsonLimitCheck"/>: the server answers a request with them, a client refuses a local write with them.</summary>
internal static class JsonLimitCodes
{
    /// <summary>The JSON is not valid UTF-8.</summary>
    public const string InvalidUtf8 = "invalid_utf8";

    /// <summary>The JSON is not well-formed (or there is none).</summary>
    public const string MalformedJson = "malformed_json";

    /// <summary>The JSON nests deeper than the limit.</summary>
    public const string JsonTooDeep = "json_too_deep";

    /// <summary>A JSON string or member name is longer than the limit.</summary>
    public const string StringTooLong = "string_too_long";

    /// <summary>Well-formed JSON that is not text: a string or member name escapes a lone surrogate (<c>"\ud800"</c>).</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>A body (or one action, which must fit a push) is larger than the limit.</summary>
    public const string BodyTooLarge = "body_too_large";
}
