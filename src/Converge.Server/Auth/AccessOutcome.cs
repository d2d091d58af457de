namespace Converge.Server.Auth;

/// <summary>The outcomes of an access check.</summary>
public enum AccessOutcome
{
    /// <summary>No valid credential.</summary>
    Unauthenticated,

    /// <summary>A valid credential that may not use the stream.</summary>
    Denied,

    /// <summary>Allowed.</summary>
    Allowed,
}
