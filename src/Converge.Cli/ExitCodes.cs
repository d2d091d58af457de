namespace Converge.Cli;

/// <summary>The exit statuses of the command line.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>The command failed (a rejection, an unreachable server, a missing file).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong (an unknown option, bad JSON in an argument).</summary>
    public const int Usage = 2;
}
