using System.Buffers;
using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Protocol;

namespace Converge.Client.Storage;

/// <summary>Writes an action's canonical body into a buffer reused by the next call, so a stored body makes no array.</summary>
internal sealed class BodyBuffer : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public BodyBuffer()
    {
        _writer = new Utf8JsonWriter(_buffer, CanonicalJson.WriterOptions);
    }

    /// <summary>The body, valid until the next call.</summary>
    public ReadOnlySpan<byte> Of(ConvergeAction action)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        ActionBody.Write(_writer, action);
        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    public void Dispose() => _writer.Dispose();
}
