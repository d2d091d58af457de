using System.Globalization;
using System.Text.Json;
using Converge.Client.Lifecycle;
using Converge.Client.Sync;
using Converge.Core.Export;
using Converge.Core.Merge;

namespace Converge.Cli;

/// <summary>The JSON forms of what the command line reports.</summary>
internal static class ReportJson
{
    public static void Write(Utf8JsonWriter writer, SyncReport report)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", KindName(report.Kind));
        writer.WriteNumber("pulled", report.Pulled);
        writer.WriteNumber("pushed", report.Pushed);
        writer.WriteStartArray("accepted");
        foreach (var state in report.Accepted)
        {
            writer.WriteStartObject();
            writer.WriteString("id", state.ActionId.ToString("D"));
            writer.WriteString("status", state.Status.ToString().ToLowerInvariant());
            if (state.Index is { } index)
            {
                writer.WriteNumber("index", index);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("rejected");
        foreach (var state in report.Rejected)
        {
            writer.WriteStartObject();
            writer.WriteString("id", state.ActionId.ToString("D"));
            writer.WriteString("code", state.Code);
            writer.WriteString("message", state.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("conflicts");
        foreach (var conflict in report.Conflicts)
        {
            Write(writer, conflict.Kind, conflict.Collection, conflict.Record, conflict.Field, conflict.Attempted, conflict.Winning);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber("cursor", report.Cursor);
        writer.WriteNumber("restamped", report.Restamped);
        if (report.SnapshotIndex is { } snapshot)
        {
            writer.WriteNumber("snapshotIndex", snapshot);
        }

        writer.WriteNumber("durationMs", Math.Round(report.Duration.TotalMilliseconds, 1));
        writer.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter writer, ConflictEntry conflict)
    {
        Write(writer, conflict.Kind, conflict.Collection, conflict.Record, conflict.Field, conflict.Attempted, conflict.Winning);
        writer.WriteString("actionId", conflict.ActionId.ToString("D"));
        writer.WriteString("winningHlc", conflict.WinningHlc.ToString());
        writer.WriteString("detectedAt", conflict.DetectedAt.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteEndObject();
    }

    public static string KindName(SyncKind kind) => SyncReport.NameOf(kind);

    public static string KindName(ConflictKind kind) => kind == ConflictKind.RecordDeleted ? "record_deleted" : "lost_to_newer_write";

    public static string Text(JsonElement? value) => value is { } v ? CanonicalJson.ToText(v) : "(deleted)";

    /// <summary>Starts a conflict object (the caller ends it).</summary>
    private static void Write(Utf8JsonWriter writer, ConflictKind kind, string collection, Guid record, string? field, JsonElement? attempted, JsonElement? winning)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", KindName(kind));
        writer.WriteString("collection", collection);
        writer.WriteString("record", record.ToString("D"));
        if (field is not null)
        {
            writer.WriteString("field", field);
        }

        writer.WritePropertyName("attempted");
        if (attempted is { } a)
        {
            CanonicalJson.Write(writer, a);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName("winning");
        if (winning is { } w)
        {
            CanonicalJson.Write(writer, w);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
