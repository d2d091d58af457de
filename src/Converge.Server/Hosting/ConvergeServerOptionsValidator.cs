using Microsoft.Extensions.Options;

namespace Converge.Server.Hosting;

/// <summary>Checks the server's options when the host starts, and names every option out of range at once.</summary>
internal sealed class ConvergeServerOptionsValidator : IValidateOptions<ConvergeServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ConvergeServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Failures().Select(f => f.Message).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
