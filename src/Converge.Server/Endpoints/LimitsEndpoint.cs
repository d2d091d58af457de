using System.Text.Json;
using Converge.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Converge.Server.Endpoints;

/// <summary>
/// <c>GET /v1/streams/{stream}/limits</c>: the limits this server holds pushes to (<see cref="Core.Protocol.ServerLimits"/>),
/// so a client checks each action it writes against these rather than against defaults the server may not use.
/// </summary>
internal static class LimitsEndpoint
{
    public static async Task HandleAsync(HttpContext context, string stream)
    {
        var server = context.RequestServices.GetRequiredService<ConvergeServer>();
        if (await StreamAccess.AuthorizeAsync(context, server, stream).ConfigureAwait(false) is null)
        {
            return;
        }

        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            server.Limits.Write(writer);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
