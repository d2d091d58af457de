using Converge.Server.Storage;

namespace Converge.Server.Pull;

/// <summary>The answer to a pull: a page, or a problem (status, stable code, detail).</summary>
internal sealed record PullAnswer(LogPage? Page, int Status, string? Code, string? Detail)
{
    public static PullAnswer Problem(int status, string code, string detail) => new(null, status, code, detail);
}
