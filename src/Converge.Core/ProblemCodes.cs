using Converge.Core.Protocol;

namespace Converge.Core;

/// <summary>The stable codes of request-level problems (action-level rejections use <see cref="RejectionCodes"/>).</summary>
internal static class ProblemCodes
{
    /// <summary>401: no valid credential.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>404: no such stream for this credential (or no such snapshot, or no such endpoint under <c>/v1</c>).</summary>
    public const string NotFound = "not_found";

    /// <summary>405: the path is a Converge endpoint that takes another method (the answer's <c>Allow</c> names it).</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>404: the stream has no snapshot yet.</summary>
    public const string NoSnapshot = "no_snapshot";

    /// <summary>413: the body is larger than the limit.</summary>
    public const string BodyTooLarge = JsonLimitCodes.BodyTooLarge;

    /// <summary>408: the body arrived more slowly than the server's minimum data rate (it stalled).</summary>
    public const string RequestTimeout = "request_timeout";

    /// <summary>400: the body's HTTP framing is broken (a malformed chunk size, a chunk longer than its size, a body cut short).</summary>
    public const string InvalidBody = "invalid_body";

    /// <summary>415: the body is not JSON.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>400: the body is not valid UTF-8.</summary>
    public const string InvalidUtf8 = JsonLimitCodes.InvalidUtf8;

    /// <summary>400: the body is not well-formed JSON.</summary>
    public const string MalformedJson = JsonLimitCodes.MalformedJson;

    /// <summary>400: the JSON nests deeper than the limit.</summary>
    public const string JsonTooDeep = JsonLimitCodes.JsonTooDeep;

    /// <summary>400: a JSON string is longer than the limit.</summary>
    public const string StringTooLong = JsonLimitCodes.StringTooLong;

    /// <summary>400: well-formed JSON that is not text: a string or member name escapes a lone surrogate (<c>"\ud800"</c>).</summary>
    public const string InvalidJson = JsonLimitCodes.InvalidJson;

    /// <summary>400: the JSON does not have the request's shape (an unknown member, a wrong type).</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>400: <c>clientId</c> is missing or not a UUID.</summary>
    public const string InvalidClientId = "invalid_client_id";

    /// <summary>403: the client id belongs to another principal on this stream (the first that used it).</summary>
    public const string ClientIdTaken = "client_id_taken";

    /// <summary>400: a push with more actions than the limit (or none).</summary>
    public const string TooManyActions = "too_many_actions";

    /// <summary>400: <c>after</c> is not a non-negative integer.</summary>
    public const string InvalidCursor = "invalid_cursor";

    /// <summary>400: <c>limit</c> is not a positive integer.</summary>
    public const string InvalidLimit = "invalid_limit";

    /// <summary>400: the cursor is past the stream's head.</summary>
    public const string CursorAhead = "cursor_ahead";

    /// <summary>410: the cursor is below the compaction horizon; load the latest snapshot.</summary>
    public const string SnapshotRequired = "snapshot_required";

    /// <summary>400: a watch request that is not a WebSocket upgrade.</summary>
    public const string WebSocketRequired = "websocket_required";

    /// <summary>500: an unexpected server fault (never caused by input).</summary>
    public const string InternalError = "internal_error";

    /// <summary>503: the store does not answer.</summary>
    public const string Unavailable = "unavailable";
}
