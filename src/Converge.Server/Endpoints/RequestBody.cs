using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Converge.Server.Endpoints;

/// <summary>Reads a request body with the size limit enforced while it streams in.</summary>
internal static class RequestBody
{
    /// <summary>The body, or null when it is larger than <paramref name="limit"/> (nothing beyond the limit is buffered).</summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
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
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
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
            && (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || media.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }
}
