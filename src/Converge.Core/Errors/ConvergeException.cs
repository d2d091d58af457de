namespace Converge.Core.Errors;

/// <summary>
/// The base of the exceptions Converge throws when the network, a server, a replica file or a store fails; a wrong
/// argument is the BCL's <see cref="ArgumentException"/>, and an expected outcome (a rejection, a conflict) is a value.
/// </summary>
/// <remarks>The hierarchy is closed: every concrete type is sealed, and only Converge derives from this one.</remarks>
internal abstract class ConvergeException : Exception
{
    private protected ConvergeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
