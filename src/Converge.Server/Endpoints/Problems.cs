using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Converge.Server.Endpoints;

/// <summary>Writes <c>application/problem+json</c> responses.</summary>
internal static class Problems
{
    public static async Task WriteAsync(HttpContext context, int status, string code, string detail, int? actionIndex = null)
    {
        var server = context.RequestServices.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        var problem = new ProblemDocument
        {
            Type = $"https://converge.dev/problems/{code}",
            Title = ReasonPhrases.GetReasonPhrase(status),
            Status = status,
            Detail = detail,
            Code = code,
            ServerTime = server.GetUtcNow(),
            ActionIndex = actionIndex,
            Principal = StreamAccess.PrincipalOf(context),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        // Not cancelled by RequestAborted: a problem is a few hundred bytes, writes to a broken connection complete at
        // once, and a cancelled refusal would surface as a fault (Kestrel may abort a request whose body it refused).
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, ServerJsonContext.Default.ProblemDocument, CancellationToken.None).ConfigureAwait(false);
    }
}
