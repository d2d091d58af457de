using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Converge.Core.Protocol;

namespace Converge.Core.Tests.Protocol;

public sealed class ActionEnvelopeTests
{
    [Fact]
    public void Of_EveryKind_CarriesTheCanonicalBodyAndItsSha256()
    {
        foreach (var action in EnvelopeSamples.EveryKind())
        {
            var envelope = ActionEnvelope.Of(action);

            envelope.Action.ShouldBeSameAs(action);
            envelope.Id.ShouldBe(action.Id);
            envelope.Body.ToArray().ShouldBe(ActionBody.Serialize(action));
            envelope.Hash.ToArray().ShouldBe(SHA256.HashData(envelope.Body.Span));
        }
    }

    [Fact]
    public void Decode_WireOfEveryKind_GivesTheSameEnvelopeAsTheAction()
    {
        foreach (var action in EnvelopeSamples.EveryKind())
        {
            var decoded = ActionEnvelope.Decode(ActionCodec.Encode(action));

            decoded.IsOk.ShouldBeTrue();
            decoded.Value.Action.Id.ShouldBe(action.Id);
            decoded.Value.Body.ToArray().ShouldBe(ActionBody.Serialize(action));
        }
    }

    [Fact]
    public void Decode_ServerOwnedMember_IsRefusedAsTheCodecRefusesIt()
    {
        var wire = ActionCodec.Encode(EnvelopeSamples.EveryKind()[1]) with { Index = 3 };

        var decoded = ActionEnvelope.Decode(wire);

        decoded.IsOk.ShouldBeFalse();
        decoded.Error.Code.ShouldBe(RejectionCodes.ServerOwnedMember);
    }

    [Fact]
    public void FromBody_StoredBody_KeepsThoseVeryBytes()
    {
        var stored = ActionBody.Serialize(EnvelopeSamples.EveryKind()[1]);

        var envelope = ActionEnvelope.FromBody(stored);

        MemoryMarshal.TryGetArray(envelope.Body, out var segment).ShouldBeTrue();
        segment.Array.ShouldBeSameAs(stored);
        ActionBody.Serialize(envelope.Action).ShouldBe(stored);
    }

    [Fact]
    public void FromBody_NotAnAction_Throws()
    {
        Should.Throw<FormatException>(() => ActionEnvelope.FromBody("""{"kind":"create"}"""u8.ToArray()));
    }
}
