using Converge.Core.Errors;
using Converge.Core.Protocol;

namespace Converge.Client.Transport;

/// <summary>Pull answers as <see cref="PulledPage"/>s, however they came.</summary>
internal static class PulledPages
{
    /// <summary>
    /// A page from an answer in its wire form (a custom transport's): each action decoded and its canonical bytes written
    /// here, as a Converge server would have sent them.
    /// </summary>
    /// <exception cref="ServerProtocolException">The server sent an action this client cannot read.</exception>
    public static PulledPage Of(PullResponse response)
    {
        var actions = new List<LoggedEnvelope>(response.Actions.Count);
        foreach (var wire in response.Actions)
        {
            var decoded = ActionCodec.DecodeLogged(wire);
            if (!decoded.IsOk)
            {
                throw new ServerProtocolException($"The server sent an action this client cannot read: {decoded.Error.Message}") { Operation = "pull", Code = decoded.Error.Code };
            }

            var logged = decoded.Value;
            actions.Add(new LoggedEnvelope(logged.Index, logged.ClientId, logged.Principal, ActionEnvelope.Of(logged.Action)));
        }

        return new PulledPage(actions, response.Head, response.Principal, response.ServerTime);
    }
}
