using System.Diagnostics.CodeAnalysis;

namespace Converge.Core.Protocol;

/// <summary>The outcome of reading something from the wire: the value, or why it was refused.</summary>
/// <typeparam name="T">What was read.</typeparam>
internal readonly record struct Decoded<T>
    where T : class
{
    private Decoded(T? value, Rejection? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value; null when refused.</summary>
    public T? Value { get; }

    /// <summary>Why it was refused; null when read.</summary>
    public Rejection? Error { get; }

    /// <summary>True when the value was read.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsOk => Value is not null;

    /// <summary>A value that was read.</summary>
    public static Decoded<T> Ok(T value) => new(value, null);

    /// <summary>A refusal.</summary>
    public static Decoded<T> Fail(string code, string message) => new(null, new Rejection(code, message));

    /// <summary>A refusal.</summary>
    public static Decoded<T> Fail(Rejection error) => new(null, error);
}
