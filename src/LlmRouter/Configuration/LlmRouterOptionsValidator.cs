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
        // Once the start-up configuration has passed, a reload is validated by the routing table provider, which logs a
        // bad one and keeps what is in service. Failing here would throw out of the configuration's reload callback
        // instead — and make every later read of the options throw, even before the first request.
        if (_lifecycle.Validated is not null)
        {
            return ValidateOptionsResult.Success;
        }

        ConfigurationErrors errors = Collect(options, _registrations);
        if (errors.Count > 0)
        {
            return ValidateOptionsResult.Fail(errors.Errors);
        }

        _lifecycle.Validated = options;
        return ValidateOptionsResult.Success;
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
