using System.Diagnostics.Metrics;
using LlmRouter;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers LlmRouter in a service collection.</summary>
public static class LlmRouterServiceCollectionExtensions
{
    /// <summary>
    /// Registers LlmRouter configured from a configuration section (usually <c>LlmRouter</c>), and its standard
    /// pipeline as the application's <see cref="IChatClient"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>LlmRouter</c> section. Reloads swap the routing table atomically.</param>
    /// <returns>A builder to add providers registered in code, strategies and stores.</returns>
    /// <remarks>
    /// The configuration is validated when the host starts (<c>ValidateOnStart</c>); every error is reported at once,
    /// each naming its path. The routing table is then built, so deployments without a known price are logged as
    /// warnings at start-up. A reload that does not validate is logged and ignored.
    /// </remarks>
    public static LlmRouterBuilder AddLlmRouter(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LlmRouterOptions>().Configure(options => LlmRouterOptionsBinder.Bind(configuration, options));
        services.AddSingleton<IOptionsChangeTokenSource<LlmRouterOptions>>(new ConfigurationChangeTokenSource<LlmRouterOptions>(configuration));
        return AddCore(services);
    }

    /// <summary>Registers LlmRouter configured in code, and its standard pipeline as the application's <see cref="IChatClient"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to add providers registered in code, strategies and stores.</returns>
    public static LlmRouterBuilder AddLlmRouter(this IServiceCollection services, Action<LlmRouterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<LlmRouterOptions>().Configure(configure);
        return AddCore(services);
    }

    /// <summary>Finds what an earlier <c>AddLlmRouter</c> or <c>AddLlmRouterAudit</c> registered, if any.</summary>
    internal static RouterRegistrations? FindRegistrations(IServiceCollection services)
    {
        RouterRegistrations? registrations = null;
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(RouterRegistrations) && descriptor.ImplementationInstance is RouterRegistrations existing)
            {
                registrations = existing;
            }
        }

        return registrations;
    }

    /// <summary>What both the router and audit-only mode need: validated options, the clock, the telemetry, the audit writer.</summary>
    internal static RouterRegistrations AddFoundation(IServiceCollection services, bool auditOnly)
    {
        var registrations = new RouterRegistrations { AuditOnly = auditOnly };
        services.AddSingleton(registrations);
        services.AddOptions<LlmRouterOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<LlmRouterOptions>, LlmRouterOptionsValidator>();
        services.AddSingleton<RouterLifecycle>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new RouterTelemetry(
            sp.GetRequiredService<IOptions<LlmRouterOptions>>().Value.Telemetry,
            sp.GetService<IMeterFactory>(),
            sp.GetService<IBudgetQuery>(),
            sp.GetService<RoutingTableProvider>(),
            RouterServices.Time(sp),
            RouterServices.Logger(sp, "LlmRouter")));
        AuditRegistration.AddServices(services);
        return registrations;
    }

    private static LlmRouterBuilder AddCore(IServiceCollection services)
    {
        RouterRegistrations? registrations = FindRegistrations(services);
        if (registrations is not null)
        {
            return registrations.AuditOnly
                ? throw new InvalidOperationException("AddLlmRouterAudit(...) registered audit-only mode. AddLlmRouter(...) includes the audit layer: call only AddLlmRouter(...).")
                : new LlmRouterBuilder(services, registrations);
        }

        registrations = AddFoundation(services, auditOnly: false);
        services.AddHttpClient();
        services.AddSingleton<IConfigureOptions<HttpClientFactoryOptions>, ProviderHttpClientSetup>();
        services.AddSingleton<ProviderSettings>();
        services.AddSingleton<DeploymentHealthRegistry>();
        services.AddSingleton<RateLimiterRegistry>();
        services.AddSingleton<ErrorClassification>();
        services.AddSingleton<ProviderClientFactory>();
        services.AddSingleton<RoutingTableBuilder>();
        services.AddSingleton<RoutingTableProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RoutingTableHost>());
        services.AddSingleton(sp => new KeyCatalog(sp.GetRequiredService<RoutingTableProvider>()));
        BudgetRegistration.AddServices(services);
        services.AddSingleton(_ => new ProviderDispatchChatClient());
        services.AddChatClient(sp => sp.GetRequiredService<ProviderDispatchChatClient>()).UseLlmRouter();
        return new LlmRouterBuilder(services, registrations);
    }
}
