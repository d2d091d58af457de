namespace Converge.Client.Typed;

/// <summary>This <see cref="Guid"/> property holds the id of a record of <see cref="Target"/>.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class RefAttribute : Attribute
{
    /// <summary>Names the collection referred to.</summary>
    public RefAttribute(string target)
    {
        Target = target;
    }

    /// <summary>The collection referred to.</summary>
    public string Target { get; }
}
