namespace Converge.Core;

/// <summary>Why an action or a request was refused: a stable machine-readable code and a sentence for people.</summary>
/// <param name="Code">A stable code from <see cref="RejectionCodes"/>.</param>
/// <param name="Message">What was wrong, for the person who wrote it.</param>
public sealed record Rejection(string Code, string Message);
