namespace LlmRouter;

internal static class RoutingOptionsValidation
{
    public static void Validate(LlmRouterOptions options, RouterRegistrations registrations, ConfigurationErrors errors)
    {
        RoutingOptions routing = options.Routing;
        string path = errors.Path("Routing");
        if (routing is null)
        {
            errors.Add(path, "is empty");
            return;
        }

        AnnotationCheck.Validate(routing, path, errors);
        if (string.IsNullOrEmpty(routing.Strategy) || !registrations.IsKnownStrategy(routing.Strategy))
        {
            errors.Add(path + ":Strategy", $"unknown routing strategy '{routing.Strategy}' ({registrations.DescribeStrategies()})");
        }

        ProviderOptionsValidation.Positive(routing.FailureWindow, path + ":FailureWindow", errors);
        ProviderOptionsValidation.NotNegative(routing.Cooldown, path + ":Cooldown", errors);
        ProviderOptionsValidation.Positive(routing.StreamFirstTokenTimeout, path + ":StreamFirstTokenTimeout", errors);
        ProviderOptionsValidation.Positive(routing.StreamIdleTimeout, path + ":StreamIdleTimeout", errors);
        ProviderOptionsValidation.Positive(routing.StreamTotalTimeout, path + ":StreamTotalTimeout", errors);
        ModelOptionsValidation.ValidateTargets(options, alias: null, routing.DefaultFallbacks, path + ":DefaultFallbacks", errors);
    }
}
