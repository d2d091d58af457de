using System.Security.Cryptography;
using System.Text;
using Converge.Server.Storage;

namespace Converge.Server.Auth;

/// <summary>Makes bearer credentials: a random token bound to a principal and its streams, stored only as a hash.</summary>
public static class ConvergeCredentials
{
    /// <summary>The prefix of every token, so a leaked one is easy to recognise.</summary>
    public const string TokenPrefix = "cvg_";

    /// <summary>Creates and stores a credential; returns the token, which is shown once and never stored.</summary>
    internal static async ValueTask<string> CreateAsync(IConvergeStore store, string principal, IReadOnlyList<string> streams, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(principal);
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(time);
        if (streams.Count == 0 || streams.Any(s => !StreamNames.IsValid(s)))
        {
            throw new ArgumentException($"A credential needs at least one stream, each a valid stream name ({StreamNames.Rule}).", nameof(streams));
        }

        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        await store.SaveCredentialAsync(new Credential(Hash(token), principal, [.. streams], time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return token;
    }

    /// <summary>The SHA-256 of a token, lower-case hex: what the store keeps.</summary>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
