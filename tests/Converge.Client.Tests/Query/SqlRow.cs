namespace Converge.Client.Tests.Query;

public sealed record SqlRow(string Code, long Rank);
