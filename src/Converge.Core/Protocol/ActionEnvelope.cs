using Converge.Core.Actions;

namespace Converge.Core.Protocol;

/// <summary>
/// An action together with its canonical body (<see cref="ActionBody"/>) and that body's hash: made once, at the edge
/// where the action is written or received, and carried as one from there through validation, storage and the wire,
/// so the bytes are never made again.
/// </summary>
/// <remarks>Immutable and thread-safe. The hash is computed on first use (a replica never needs it; a server always does).</remarks>
internal sealed class ActionEnvelope
{
    private byte[]? _hash;

    private ActionEnvelope(ConvergeAction action, ReadOnlyMemory<byte> body)
    {
        Action = action;
        Body = body;
    }

    /// <summary>The action: what is validated and applied.</summary>
    public ConvergeAction Action { get; }

    /// <summary>The action's id.</summary>
    public Guid Id => Action.Id;

    /// <summary>The action's canonical body, UTF-8: what is stored, hashed and sent.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The SHA-256 of <see cref="Body"/>: equal for the same action, different for any other body.</summary>
    public ReadOnlyMemory<byte> Hash => _hash ??= ActionBody.Hash(Body.Span);

    /// <summary>Wraps an action made here: its canonical body is written now, the one time.</summary>
    public static ActionEnvelope Of(ConvergeAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new ActionEnvelope(action, ActionBody.Serialize(action));
    }

    /// <summary>
    /// Reads an action a client sent, checked as <see cref="ActionCodec.Decode(ActionWire)"/> checks it (server-owned
    /// members refused), and writes its canonical body the one time.
    /// </summary>
    public static Decoded<ActionEnvelope> Decode(ActionWire wire)
    {
        var decoded = ActionCodec.Decode(wire);
        return decoded.IsOk ? Decoded<ActionEnvelope>.Ok(Of(decoded.Value)) : Decoded<ActionEnvelope>.Fail(decoded.Error);
    }

    /// <summary>
    /// Wraps an action read from <paramref name="body"/>, keeping those very bytes as its body: for bodies that are
    /// canonical already (a log's, a replica's, a Converge server's pull). The caller owns that claim; nothing is re-written.
    /// </summary>
    public static ActionEnvelope FromCanonical(ConvergeAction action, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new ActionEnvelope(action, body);
    }

    /// <summary>Reads a stored canonical body back into an envelope that keeps those bytes.</summary>
    /// <exception cref="FormatException">The bytes are not a valid action.</exception>
    public static ActionEnvelope FromBody(ReadOnlyMemory<byte> body) => new(ActionBody.Deserialize(body.Span), body);
}
