using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Converge.Client.Typed;

namespace Converge.Client.Live;

/// <summary>Two records of a typed collection are equal when they are the same record with the same field values (their JSON).</summary>
internal sealed class LiveRecordComparer<[DynamicallyAccessedMembers(RecordShape.Members)] T>(RecordCodec<T> codec) : IEqualityComparer<T>
    where T : class
{
    public bool Equals(T? x, T? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || codec.IdOf(x) != codec.IdOf(y))
        {
            return false;
        }

        var left = codec.FieldsOf(x);
        var right = codec.FieldsOf(y);
        return left.Count == right.Count && left.All(f => right.TryGetValue(f.Key, out var other) && JsonElement.DeepEquals(f.Value, other));
    }

    public int GetHashCode(T obj) => codec.IdOf(obj).GetHashCode();
}
