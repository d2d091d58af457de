namespace Converge.Client.Query;

/// <summary>One sort key of a raw JSON query.</summary>
/// <param name="Field">The field's name, or <c>id</c>.</param>
/// <param name="Descending">True for largest first (absent fields last); false for smallest first (absent fields first).</param>
public sealed record QueryOrder(string Field, bool Descending = false);
