using Microsoft.Extensions.Options;

namespace LlmRouter;

/// <summary>
/// Validates <see cref="LlmRouterOptions"/> as a whole: every error is collected, each naming its configuration path,
/// and reported together.
/// </summary>
internal sealed class LlmRouterOptionsValidator : IValidateOptions<LlmRouterOptions>
{
    private readonly RouterRegistrations _registrations;
    private readonly RouterLifecycle _lifecycle;

    public LlmRouterOptionsValidator(RouterRegistrations registrations, RouterLifecycle lifecycle)
    {
        _registrations = registrations;
        _lifecycle = lifecycle;
    }

    public ValidateOptionsResult Validate(string? name, LlmRouterOptions options)
    {
        // Once a table is in service, a reload is validated by the routing table provider, which logs a bad one and
        // keeps the old table. Failing here would throw out of the configuration's reload callback instead.
        if (_lifecycle.Serving)
        {
            return ValidateOptionsResult.Success;
        }

        ConfigurationErrors errors = Collect(options, _registrations);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Errors);
    }

    internal static ConfigurationErrors Collect(LlmRouterOptions options, RouterRegistrations registrations)
    {
        var errors = new ConfigurationErrors(options.ConfigurationPath);
        errors.AddRange(options.BindingErrors);
        if (registrations.AuditOnly)
        {
            // Audit-only mode routes nothing: only the Audit section matters.
            AuditOptionsValidation.Validate(options, errors);
            TelemetryOptionsValidation.Validate(options, errors);
            return errors;
        }

        ProviderOptionsValidation.Validate(options, registrations, errors);
        ModelOptionsValidation.Validate(options, registrations, errors);
        RoutingOptionsValidation.Validate(options, registrations, errors);
        PricingOptionsValidation.Validate(options, errors);
        KeyOptionsValidation.Validate(options, errors);
        BudgetOptionsValidation.Validate(options, errors);
        AuditOptionsValidation.Validate(options, errors);
        TelemetryOptionsValidation.Validate(options, errors);
        return errors;
    }
}
