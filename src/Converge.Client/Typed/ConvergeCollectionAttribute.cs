namespace Converge.Client.Typed;

/// <summary>Names a record type's collection and says whether it is owned or open. Optional: the default name is the type name in camelCase.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class ConvergeCollectionAttribute : Attribute
{
    /// <summary>Names the collection.</summary>
    public ConvergeCollectionAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The collection's name.</summary>
    public string Name { get; }

    /// <summary>True when only the principal that created a record may change it. Default false.</summary>
    public bool Owned { get; init; }

    /// <summary>True when records may carry fields the type does not declare. Default false.</summary>
    public bool Open { get; init; }
}
