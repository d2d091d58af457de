namespace TrimmedApp;

/// <summary>What the app prints for the test to check.</summary>
public sealed record Report(Guid Id, string Status, Note? Read);
