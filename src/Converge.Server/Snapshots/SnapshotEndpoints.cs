using System.Text.Json;
using Converge.Core;
using Converge.Core.Protocol;
using Converge.Server.Endpoints;
using Converge.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Converge.Server.Snapshots;

/// <summary><c>GET /v1/streams/{stream}/snapshot</c> (where the latest is) and <c>GET {href}</c> (its immutable body).</summary>
internal static class SnapshotEndpoints
{
    /// <summary>The value of <c>Cache-Control</c> on snapshot bodies: any cache may keep them forever.</summary>
    public const string Immutable = "public, max-age=31536000, immutable";

    public static async Task LatestAsync(HttpContext context, string stream)
    {
        var server = context.RequestServices.GetRequiredService<ConvergeServer>();
        if (await StreamAccess.AuthorizeAsync(context, server, stream).ConfigureAwait(false) is null)
        {
            return;
        }

        if (await server.Store.GetLatestSnapshotAsync(stream, context.RequestAborted).ConfigureAwait(false) is not { } latest)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, ProblemCodes.NoSnapshot, "The stream has no snapshot yet; pull from index 0.").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache";
        var info = new SnapshotInfo
        {
            Index = latest.Index,
            Digest = latest.Digest,
            Href = $"/v1/streams/{Uri.EscapeDataString(stream)}/snapshots/{latest.Digest}",
            ServerTime = server.Time.GetUtcNow(),
        };
        await JsonSerializer.SerializeAsync(context.Response.Body, info, ConvergeJsonContext.Default.SnapshotInfo, context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task BodyAsync(HttpContext context, string stream, string digest)
    {
        var server = context.RequestServices.GetRequiredService<ConvergeServer>();
        if (await StreamAccess.AuthorizeAsync(context, server, stream).ConfigureAwait(false) is null)
        {
            return;
        }

        var etag = $"\"{digest}\"";
        if (digest.Length != 64 || !digest.All(char.IsAsciiHexDigitLower)
            || await server.Store.OpenSnapshotAsync(stream, digest, context.RequestAborted).ConfigureAwait(false) is not { } body)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, ProblemCodes.NotFound, "There is no such snapshot of this stream.").ConfigureAwait(false);
            return;
        }

        await using (body.ConfigureAwait(false))
        {
            context.Response.Headers.ETag = etag;
            context.Response.Headers.CacheControl = Immutable;
            if (EntityTagHeaderValue.TryParseList(context.Request.Headers[HeaderNames.IfNoneMatch], out var tags)
                && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(new EntityTagHeaderValue(etag), useStrongComparison: false)))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            context.Response.ContentType = "application/gzip";
            if (body.CanSeek)
            {
                context.Response.ContentLength = body.Length;
            }

            await body.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
