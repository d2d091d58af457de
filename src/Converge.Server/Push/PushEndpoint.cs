using System.Diagnostics;
using System.Text.Json;
using Converge.Core;
using Converge.Core.Actions;
using Converge.Core.Protocol;
using Converge.Server.Diagnostics;
using Converge.Server.Endpoints;
using Converge.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Converge.Server.Push;

/// <summary><c>POST /v1/streams/{stream}/push</c>: one result per action, in order, appended in one transaction.</summary>
internal static class PushEndpoint
{
    public static async Task HandleAsync(HttpContext context, string stream)
    {
        var server = context.RequestServices.GetRequiredService<ConvergeServer>();
        var started = Stopwatch.GetTimestamp();
        if (await StreamAccess.AuthorizeAsync(context, server, stream).ConfigureAwait(false) is not { } principal)
        {
            return;
        }

        var request = await ReadAsync(context, server).ConfigureAwait(false);
        if (request is null)
        {
            return;
        }

        var (clientId, actions) = request.Value;
        if (!await server.Registry.ClaimAsync(stream, clientId, principal, server.Time.GetUtcNow(), context.RequestAborted).ConfigureAwait(false))
        {
            await Refuse(context, server, StatusCodes.Status403Forbidden, ProblemCodes.ClientIdTaken, Storage.ClientRegistry.TakenDetail(clientId)).ConfigureAwait(false);
            return;
        }

        server.Registry.Record(new Storage.ClientVisit(stream, clientId, principal, null, server.Time.GetUtcNow()));
        var batch = new PushBatch(stream, clientId, principal, actions);
        var (results, head, advanced) = await PushProcessor.RunAsync(server, batch, context.RequestAborted).ConfigureAwait(false);
        if (advanced)
        {
            server.Heads.Publish(stream, head);
        }

        context.Response.ContentType = "application/json";
        var response = new PushResponse { Results = results, Head = head, Principal = principal, ServerTime = server.Time.GetUtcNow() };
        await JsonSerializer.SerializeAsync(context.Response.Body, response, ConvergeJsonContext.Default.PushResponse, context.RequestAborted).ConfigureAwait(false);
        server.Metrics.Pushes.Add(1);
        server.Metrics.PushDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>
    /// Reads and checks the request; on any problem writes it and returns null. Nothing is applied before every check passes.
    /// Each action is put in its envelope here, the one time its canonical body is made on the server.
    /// </summary>
    private static async Task<(Guid ClientId, List<ActionEnvelope> Actions)?> ReadAsync(HttpContext context, ConvergeServer server)
    {
        var options = server.Options;
        if (!RequestBody.IsJson(context.Request))
        {
            await Refuse(context, server, StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType, "A push body must be JSON: Content-Type: application/json.").ConfigureAwait(false);
            return null;
        }

        var read = await RequestBody.ReadAsync(context, options.MaxRequestBodyBytes).ConfigureAwait(false);
        if (read.Body is not { } body)
        {
            if (read.ClientGone)
            {
                ServerLog.ClientGone(server.Logger, context.Request.Path);
                await Problems.WriteAsync(context, read.Status, read.Code!, read.Detail!).ConfigureAwait(false);
            }
            else
            {
                await Refuse(context, server, read.Status, read.Code!, read.Detail!).ConfigureAwait(false);
            }

            return null;
        }

        // The usual body is read in one pass; any other (an error, an unusual shape) the long way, for the exact answer.
        var request = PushRequestReader.TryRead(body, options.MaxJsonDepth, options.MaxStringBytes);
        if (request is null)
        {
            if (JsonLimits.Check(body, options.MaxJsonDepth, options.MaxStringBytes) is { } limit)
            {
                await Refuse(context, server, StatusCodes.Status400BadRequest, limit.Code, limit.Detail).ConfigureAwait(false);
                return null;
            }

            try
            {
                request = JsonSerializer.Deserialize(body, ConvergeJsonContext.Default.PushRequest);
            }
            catch (JsonException e)
            {
                await Refuse(context, server, StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, $"The body is not a push request: {e.Message}").ConfigureAwait(false);
                return null;
            }
        }

        if (request is null || !Guid.TryParseExact(request.ClientId, "D", out var clientId) || clientId == Guid.Empty)
        {
            await Refuse(context, server, StatusCodes.Status400BadRequest, ProblemCodes.InvalidClientId, "A push needs 'clientId', a UUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.").ConfigureAwait(false);
            return null;
        }

        if (request.Actions is not { Count: > 0 } wires || wires.Count > options.MaxActionsPerPush)
        {
            await Refuse(context, server, StatusCodes.Status400BadRequest, ProblemCodes.TooManyActions, $"A push carries 1 to {options.MaxActionsPerPush} actions in 'actions'.").ConfigureAwait(false);
            return null;
        }

        var actions = new List<ActionEnvelope>(wires.Count);
        for (var i = 0; i < wires.Count; i++)
        {
            var decoded = wires[i] is { } wire ? ActionEnvelope.Decode(wire) : Decoded<ActionEnvelope>.Fail(Core.RejectionCodes.InvalidAction, "An action must be a JSON object.");
            if (!decoded.IsOk)
            {
                await Refuse(context, server, StatusCodes.Status400BadRequest, decoded.Error.Code, $"Action {i}: {decoded.Error.Message}", i).ConfigureAwait(false);
                return null;
            }

            actions.Add(decoded.Value);
        }

        return (clientId, actions);
    }

    private static Task Refuse(HttpContext context, ConvergeServer server, int status, string code, string detail, int? actionIndex = null)
    {
        ServerLog.RequestRefused(server.Logger, status, code, detail);
        return Problems.WriteAsync(context, status, code, detail, actionIndex);
    }
}
