using System.Globalization;
using Converge.Client.Lifecycle;
using Converge.Core.Merge;

namespace Converge.Client.Storage;

/// <summary>
/// The text the replica file keeps for statuses, conflict kinds and times, in one place. Existing files hold exactly
/// these words: changing one is a migration.
/// </summary>
internal static class StoredText
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Confirmed = "confirmed";
    public const string Rejected = "rejected";
    public const string RecordDeleted = "record_deleted";
    public const string LostToNewerWrite = "lost_to_newer_write";

    public static string Of(ActionStatus status) => status switch
    {
        ActionStatus.Pending => Pending,
        ActionStatus.Sent => Sent,
        ActionStatus.Confirmed => Confirmed,
        ActionStatus.Rejected => Rejected,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "An unknown status is never stored."),
    };

    /// <summary>A stored status; anything the file does not name otherwise reads as pending, as it always did.</summary>
    public static ActionStatus Status(string text) => text switch
    {
        Confirmed => ActionStatus.Confirmed,
        Rejected => ActionStatus.Rejected,
        Sent => ActionStatus.Sent,
        _ => ActionStatus.Pending,
    };

    public static string Of(ConflictKind kind) => kind == ConflictKind.RecordDeleted ? RecordDeleted : LostToNewerWrite;

    public static ConflictKind Kind(string text) => text == RecordDeleted ? ConflictKind.RecordDeleted : ConflictKind.LostToNewerWrite;

    public static string Of(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A time as UTF-8 into <paramref name="buffer"/> (40 bytes hold any), with no string made.</summary>
    public static ReadOnlySpan<byte> Of(DateTimeOffset time, Span<byte> buffer) =>
        time.UtcDateTime.TryFormat(buffer, out var written, "O", CultureInfo.InvariantCulture) ? buffer[..written] : throw new FormatException("A time did not fit its buffer.");

    public static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
