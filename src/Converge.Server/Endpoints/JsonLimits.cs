using Converge.Core;
using Converge.Core.Protocol;

namespace Converge.Server.Endpoints;

/// <summary>Checks a request body before it is deserialized, with the one walk clients use too (<see cref="JsonLimitCheck"/>).</summary>
internal static class JsonLimits
{
    /// <summary>The problem with the body, as (code, detail), or null when it is within every limit.</summary>
    public static (string Code, string Detail)? Check(ReadOnlySpan<byte> body, int maxDepth, int maxStringBytes) =>
        JsonLimitCheck.Check(body, maxDepth, maxStringBytes) is { } problem ? (problem.Code, problem.Message) : null;
}
