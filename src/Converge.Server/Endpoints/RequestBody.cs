using Converge.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Converge.Server.Endpoints;

/// <summary>Reads a request body with the size limit enforced while it streams in.</summary>
internal static class RequestBody
{
    /// <summary>
    /// The body; or a problem when it is larger than <paramref name="limit"/> (nothing beyond the limit is buffered),
    /// arrives too slowly (408), has broken framing or the connection breaks (400). A broken body is the client's
    /// doing: it is never an exception out of here, so never a 5xx.
    /// </summary>
    public static async Task<BodyRead> ReadAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit + 1L;
        }

        using var buffer = new MemoryStream((int)Math.Min(context.Request.ContentLength ?? 16 * 1024, limit));
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return TooLarge(limit);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            return BodyRead.Problem(StatusCodes.Status408RequestTimeout, ProblemCodes.RequestTimeout, "The body arrived more slowly than the server's minimum data rate; send it again.");
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's reason: a bad chunk size, a chunk longer than its size, the body ended before its length.
            return BodyRead.Problem(StatusCodes.Status400BadRequest, ProblemCodes.InvalidBody, $"The body's HTTP framing is broken: {e.Message}");
        }
        catch (Exception e) when (e is IOException || (e is OperationCanceledException && context.RequestAborted.IsCancellationRequested))
        {
            // The connection broke (reset by the peer, or aborted): answered all the same, in case anyone still listens.
            return BodyRead.Problem(StatusCodes.Status400BadRequest, ProblemCodes.InvalidBody, "The connection broke before the body arrived.", clientGone: true);
        }

        return BodyRead.Of(buffer.ToArray());
    }

    /// <summary>True when the request says its body is JSON (any charset must be UTF-8).</summary>
    public static bool IsJson(HttpRequest request)
    {
        var type = request.ContentType;
        if (string.IsNullOrEmpty(type) || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(type, out var media))
        {
            return false;
        }

        return media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && (!media.Charset.HasValue || Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(media.Charset) is var charset && (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)));
    }

    private static BodyRead TooLarge(int limit) =>
        BodyRead.Problem(StatusCodes.Status413PayloadTooLarge, ProblemCodes.BodyTooLarge, $"A body may be at most {limit} bytes; push fewer actions at a time.");
}
