using System.Buffers;
using System.Buffers.Text;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.State;

namespace Converge.Sqlite;

/// <summary>
/// A record's merge state as its metadata blob and its table row, and back: <see cref="Decode"/> of what
/// <see cref="Encode"/> made gives the same record, value texts byte for byte.
/// </summary>
/// <remarks>Not thread-safe: one per record state, its buffers reused.</remarks>
internal sealed class RecordCodec : IDisposable
{
    private readonly ArrayBufferWriter<byte> _value = new(256);
    private readonly Utf8JsonWriter _valueWriter;
    private readonly ArrayBufferWriter<byte> _extra = new(256);
    private readonly Utf8JsonWriter _extraWriter;
    private readonly ArrayBufferWriter<byte> _values = new(512);
    private readonly Utf8JsonWriter _valuesWriter;

    public RecordCodec()
    {
        _valueWriter = new Utf8JsonWriter(_value, CanonicalJson.WriterOptions);
        _extraWriter = new Utf8JsonWriter(_extra, CanonicalJson.WriterOptions);
        _valuesWriter = new Utf8JsonWriter(_values, CanonicalJson.WriterOptions);
    }

    /// <summary>
    /// Writes the metadata of <paramref name="record"/> to <paramref name="meta"/> and returns its row, or null when it
    /// has none (a tombstone, or no table). <paramref name="setArray"/> gives a set field's column text.
    /// </summary>
    public object?[]? Encode(RecordData record, TableRows? rows, Func<string, SetState, string?> setArray, ArrayBufferWriter<byte> meta)
    {
        var live = rows is not null && !record.IsDeleted;
        var row = live ? new object?[rows!.Width] : null;
        var info = new RecordMeta { Deleted = record.Deleted, OwnerInRow = live && record.Owner is not null, Owner = live ? null : record.Owner };
        if (row is not null)
        {
            row[0] = record.Owner;
        }

        var extras = false;
        if (rows?.Table.Open == true)
        {
            _extra.ResetWrittenCount();
            _extraWriter.Reset(_extra);
            _extraWriter.WriteStartObject();
        }

        foreach (var (name, state) in record.Fields)
        {
            var at = live && rows!.Index.TryGetValue(name, out var i) ? i : 0;
            var column = at > 0 ? rows!.Fields[at - 1] : null;
            switch (state)
            {
                case RegisterState register:
                    var canonical = Canonical(register.Value);
                    if (column is not null && column.Kind != ColumnKind.Set)
                    {
                        var same = ColumnCodec.Encode(column.Kind, register.Value, canonical, out row![at]);
                        info.Fields.Add(new MetaField(name, same ? MetaTag.RegisterInColumn : MetaTag.RegisterExact, register.Hlc, 0, same ? null : canonical.ToArray()));
                    }
                    else if (live && column is null && rows!.Table.Open)
                    {
                        if (register.Value.ValueKind != JsonValueKind.Null)
                        {
                            _extraWriter.WritePropertyName(name);
                            _extraWriter.WriteRawValue(canonical, skipInputValidation: true);
                            extras = true;
                        }

                        info.Fields.Add(new MetaField(name, MetaTag.RegisterInExtra, register.Hlc, 0, null));
                    }
                    else
                    {
                        info.Fields.Add(new MetaField(name, MetaTag.RegisterExact, register.Hlc, 0, canonical.ToArray()));
                    }

                    break;
                case CounterState counter:
                    var text = Total(counter.Total);
                    object? bound = null;
                    if (column is not null && ColumnCodec.EncodeTotal(column.Kind, counter.Total, text, out bound))
                    {
                        row![at] = bound;
                        info.Fields.Add(new MetaField(name, MetaTag.CounterInColumn, default, 0, null));
                    }
                    else
                    {
                        if (column is not null)
                        {
                            row![at] = bound;
                        }

                        info.Fields.Add(new MetaField(name, MetaTag.CounterExact, default, 0, Encoding.UTF8.GetBytes(text)));
                    }

                    break;
                case SetState set:
                    info.Fields.Add(new MetaField(name, MetaTag.SetHeader, set.Cleared, set.Count, null));
                    if (column?.Kind == ColumnKind.Set)
                    {
                        row![at] = setArray(name, set);
                    }

                    break;
            }
        }

        if (rows?.Table.Open == true)
        {
            _extraWriter.WriteEndObject();
            _extraWriter.Flush();
            if (row is not null && extras)
            {
                row[rows.Extra] = Encoding.UTF8.GetString(_extra.WrittenSpan);
            }
        }

        meta.ResetWrittenCount();
        info.Write(meta);
        return row;
    }

    /// <summary>The record its metadata and row (null when it needs none, or has none) describe.</summary>
    /// <exception cref="FormatException">The metadata needs a row that is missing, or the row is not what it expects.</exception>
    public RecordData Decode(RecordKey key, RecordMeta meta, TableRows? rows, object?[]? row)
    {
        if (meta.NeedsRow && (row is null || rows is null))
        {
            throw new FormatException($"The record {key.Collection}/{key.Id:D} has merge metadata but no row in its collection's table.");
        }

        JsonDocument? extra = null;
        try
        {
            // Every value is written into one JSON array and parsed once; each record field then keeps a copy of its value.
            _values.ResetWrittenCount();
            _valuesWriter.Reset(_values);
            _valuesWriter.WriteStartArray();
            foreach (var field in meta.Fields)
            {
                switch (field.Tag)
                {
                    case MetaTag.RegisterExact or MetaTag.CounterExact:
                        _valuesWriter.WriteRawValue(field.Exact!, skipInputValidation: true);
                        break;
                    case MetaTag.RegisterInColumn or MetaTag.CounterInColumn:
                        var at = rows!.Index.TryGetValue(field.Name, out var i) ? i : throw new FormatException($"The record {key.Collection}/{key.Id:D} keeps '{field.Name}' in a column its table does not have.");
                        ColumnCodec.Write(_valuesWriter, rows.Fields[at - 1].Kind, row![at]);
                        break;
                    case MetaTag.RegisterInExtra:
                        extra ??= row![rows!.Extra] is string text ? JsonDocument.Parse(text) : null;
                        if (extra is not null && extra.RootElement.TryGetProperty(field.Name, out var value))
                        {
                            _valuesWriter.WriteRawValue(value.GetRawText(), skipInputValidation: true);
                        }
                        else
                        {
                            _valuesWriter.WriteNullValue();
                        }

                        break;
                }
            }

            _valuesWriter.WriteEndArray();
            _valuesWriter.Flush();
        }
        finally
        {
            extra?.Dispose();
        }

        using var document = JsonDocument.Parse(_values.WrittenMemory);
        var values = document.RootElement.EnumerateArray();
        var fields = ImmutableSortedDictionary.CreateBuilder<string, FieldState>(StringComparer.Ordinal);
        foreach (var field in meta.Fields)
        {
            if (field.Tag == MetaTag.SetHeader)
            {
                fields[field.Name] = new SetState(field.Stamp, field.Count);
                continue;
            }

            values.MoveNext();
            fields[field.Name] = field.Tag is MetaTag.CounterExact or MetaTag.CounterInColumn
                ? new CounterState(values.Current.GetDecimal())
                : new RegisterState(values.Current.Clone(), field.Stamp);
        }

        var owner = meta.OwnerInRow ? row![0] as string : meta.Owner;
        return new RecordData(key, owner, meta.Deleted, fields.ToImmutable());
    }

    /// <summary>The canonical JSON text of a value, valid until the next call.</summary>
    public ReadOnlySpan<byte> Canonical(JsonElement value)
    {
        _value.ResetWrittenCount();
        _valueWriter.Reset(_value);
        CanonicalJson.Write(_valueWriter, value);
        _valueWriter.Flush();
        return _value.WrittenSpan;
    }

    public void Dispose()
    {
        _valueWriter.Dispose();
        _extraWriter.Dispose();
        _valuesWriter.Dispose();
    }

    /// <summary>A counter's total as the storage form writes it (<see cref="Utf8JsonWriter.WriteNumberValue(decimal)"/>).</summary>
    private static string Total(decimal total)
    {
        Span<byte> text = stackalloc byte[64];
        Utf8Formatter.TryFormat(total, text, out var written);
        return Encoding.UTF8.GetString(text[..written]);
    }
}
