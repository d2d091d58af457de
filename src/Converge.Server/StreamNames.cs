namespace Converge.Server;

/// <summary>The rule for stream names in URLs.</summary>
public static class StreamNames
{
    /// <summary>The rule, for messages.</summary>
    public const string Rule = "1 to 128 letters, digits, '_', '-' or '.'";

    /// <summary>True for 1 to 128 ASCII letters, digits, '_', '-' or '.'.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 128 || name is "." or "..")
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
