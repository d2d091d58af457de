using Converge.Core.Actions;

namespace Converge.Client.Lifecycle;

/// <summary>An action of this replica that was refused, kept so nothing vanishes without a trace.</summary>
/// <param name="Action">The action as written.</param>
/// <param name="Code">The stable rejection code.</param>
/// <param name="Message">Why.</param>
/// <param name="RejectedAt">When this replica learned it.</param>
public sealed record RejectedAction(ConvergeAction Action, string Code, string Message, DateTimeOffset RejectedAt);
