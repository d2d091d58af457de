using Converge.Core;
using Converge.Server.Diagnostics;
using Converge.Server.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Server.Hosting;

/// <summary>
/// Answers an unexpected fault of a Converge endpoint as problem+json 500 <c>internal_error</c>, inside the endpoint:
/// the host app's own exception handling (its handler, the developer exception page) stays in charge of everything else.
/// </summary>
internal static class EndpointFaults
{
    private const string Detail = "The server failed unexpectedly. Retry: pushes are idempotent, so a retry never applies an action twice.";

    /// <summary>A finally convention: wraps the endpoint's final request delegate (after filters and binding).</summary>
    public static void Guard(EndpointBuilder endpoint)
    {
        if (endpoint.RequestDelegate is { } inner)
        {
            endpoint.RequestDelegate = context => InvokeAsync(inner, context);
        }
    }

    private static async Task InvokeAsync(RequestDelegate inner, HttpContext context)
    {
        try
        {
            await inner(context).ConfigureAwait(false);
        }
        catch (Exception e) when ((e is OperationCanceledException or IOException) && context.RequestAborted.IsCancellationRequested)
        {
            // The client left: nobody is there to answer.
        }
        catch (BadHttpRequestException e)
        {
            // The server rejected the request itself (a malformed or too large body): a 4xx, never a fault.
            var code = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? ProblemCodes.BodyTooLarge : ProblemCodes.InvalidRequest;
            await AnswerAsync(context, e.StatusCode, code, e.Message).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every fault of a Converge endpoint becomes one logged 500; none reaches the host app's handler.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ServerLog.Unhandled(LoggerOf(context), e, context.Request.Path);
            await AnswerAsync(context, StatusCodes.Status500InternalServerError, ProblemCodes.InternalError, Detail).ConfigureAwait(false);
        }
    }

    private static async Task AnswerAsync(HttpContext context, int status, string code, string detail)
    {
        if (context.Response.HasStarted)
        {
            // Part of an answer (or a WebSocket) is already out: cut it off so it cannot pass for a whole one.
            context.Abort();
            return;
        }

        context.Response.Clear();
        await Problems.WriteAsync(context, status, code, detail).ConfigureAwait(false);
    }

    private static ILogger LoggerOf(HttpContext context) =>
        context.RequestServices.GetService<ConvergeServer>()?.Logger ?? NullLogger.Instance;
}
