using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Converge.Core;
using Converge.Core.Export;
using Converge.Server.Endpoints;
using Converge.Server.Hosting;
using Converge.Server.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Converge.Server.Pull;

/// <summary>
/// <c>GET /v1/streams/{stream}/pull?after={cursor}&amp;limit={n}&amp;client={clientId}</c>: exactly the entries after
/// the cursor, up to the limit; <c>cursor_ahead</c> past the head; <c>snapshot_required</c> below the horizon.
/// </summary>
internal static class PullEndpoint
{
    public static async Task HandleAsync(HttpContext context, string stream)
    {
        var server = context.RequestServices.GetRequiredService<ConvergeServer>();
        var started = Stopwatch.GetTimestamp();
        if (await StreamAccess.AuthorizeAsync(context, server, stream).ConfigureAwait(false) is not { } principal)
        {
            return;
        }

        var query = context.Request.Query;
        if (!TryParse(query["after"], 0, out var after) || after < 0)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemCodes.InvalidCursor, "'after' must be a non-negative integer: the highest index the client has applied.").ConfigureAwait(false);
            return;
        }

        if (!TryParse(query["limit"], server.Options.DefaultPullLimit, out var limit) || limit < 1)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemCodes.InvalidLimit, "'limit' must be a positive integer.").ConfigureAwait(false);
            return;
        }

        Guid? clientId = null;
        if (query["client"].ToString() is { Length: > 0 } client)
        {
            if (!Guid.TryParseExact(client, "D", out var parsed) || parsed == Guid.Empty)
            {
                await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemCodes.InvalidClientId, "'client' must be a UUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.").ConfigureAwait(false);
                return;
            }

            clientId = parsed;
        }

        var answer = await PullProcessor.RunAsync(server, new PullQuery(stream, after, limit, clientId, principal), context.RequestAborted).ConfigureAwait(false);
        if (answer.Page is not { } page)
        {
            if (answer.Code == ProblemCodes.ClientIdTaken)
            {
                Diagnostics.ServerLog.RequestRefused(server.Logger, answer.Status, answer.Code, answer.Detail!);
            }

            await Problems.WriteAsync(context, answer.Status, answer.Code!, answer.Detail!).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await WriteAsync(context, page, principal, server.Time.GetUtcNow()).ConfigureAwait(false);
        server.Metrics.Pulls.Add(1);
        server.Metrics.PullDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>
    /// Writes the page, each logged action as its stored canonical body, byte for byte, with index, client and principal
    /// spliced in front: nothing of an action is decoded or encoded again on the way out.
    /// </summary>
    private static async Task WriteAsync(HttpContext context, LogPage page, string principal, DateTimeOffset serverTime)
    {
        var output = context.Response.BodyWriter;
        using (var writer = new Utf8JsonWriter(output, CanonicalJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("actions");
            var buffer = new ArrayBufferWriter<byte>(1024);
            using var prefix = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions);
            foreach (var action in page.Actions)
            {
                buffer.ResetWrittenCount();
                prefix.Reset(buffer);
                prefix.WriteStartObject();
                prefix.WriteNumber("index", action.Index);
                prefix.WriteString("clientId", action.ClientId);
                prefix.WriteString("principal", action.Principal);
                prefix.Flush();

                // The prefix is "{...members" without its closing brace; the body is "{...}": join them with a comma.
                var body = action.Body.Span;
                buffer.Write(","u8);
                buffer.Write(body[1..]);
                writer.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
                if (writer.BytesPending > 32 * 1024)
                {
                    writer.Flush();
                    await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                }
            }

            writer.WriteEndArray();
            writer.WriteNumber("head", page.Head);
            writer.WriteString("principal", principal);
            writer.WriteString("serverTime", serverTime);
            writer.WriteEndObject();
        }

        await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static bool TryParse(string? text, long fallback, out long value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
