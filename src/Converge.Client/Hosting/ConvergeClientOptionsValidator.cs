using Microsoft.Extensions.Options;

namespace Converge.Client.Hosting;

/// <summary>Checks a hosted replica's options when the host starts, and names every option missing or out of range at once.</summary>
internal sealed class ConvergeClientOptionsValidator : IValidateOptions<ConvergeClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ConvergeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Replica.Failures().Select(f => f.Message).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
