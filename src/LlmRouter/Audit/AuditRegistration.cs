using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlmRouter;

/// <summary>Registers the audit writer and verifier, and lets the store packages register a store as every audit service it implements.</summary>
internal static class AuditRegistration
{
    public static void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<AuditWriterStatistics>();
        services.TryAddSingleton(static sp => new AuditWriter(
            sp.GetRequiredService<IAuditStore>(),
            sp.GetRequiredService<IOptions<LlmRouterOptions>>().Value.Audit,
            RouterServices.Time(sp),
            RouterServices.Logger(sp, "LlmRouter.Audit"),
            sp.GetRequiredService<AuditWriterStatistics>()));
        services.TryAddSingleton<IAuditVerifier>(static sp => new AuditVerifier(sp.GetRequiredService<IAuditReader>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AuditWriterHost>());
    }

    /// <summary>Logs at start-up that requests are not recorded, when auditing is on and no store is registered (the router then runs without its audit layer).</summary>
    public static void WarnWhenUnrecorded(IServiceProvider services)
    {
        if (services.GetService<IAuditStore>() is null && services.GetService<IOptions<LlmRouterOptions>>()?.Value.Audit is { Enabled: true })
        {
            AuditLog.NoStore(RouterServices.Logger(services, "LlmRouter.Audit"));
        }
    }

    /// <summary>
    /// Registers a store as <see cref="IAuditStore"/>, and as <see cref="IAuditReader"/> and <see cref="IAuditQuery"/> when
    /// it implements them — with <see cref="SpendStatements"/> and <see cref="AuditReports"/> over the query. A later store replaces an earlier one.
    /// </summary>
    public static void AddStore<TStore>(IServiceCollection services, Func<IServiceProvider, TStore> factory)
        where TStore : class, IAuditStore
    {
        services.AddSingleton(factory);
        services.AddSingleton<IAuditStore>(static sp => sp.GetRequiredService<TStore>());
        if (typeof(IAuditReader).IsAssignableFrom(typeof(TStore)))
        {
            services.AddSingleton(static sp => (IAuditReader)sp.GetRequiredService<TStore>());
        }

        if (typeof(IAuditQuery).IsAssignableFrom(typeof(TStore)))
        {
            services.AddSingleton(static sp => (IAuditQuery)sp.GetRequiredService<TStore>());
            services.TryAddSingleton(static sp => new SpendStatements(
                sp.GetRequiredService<IAuditQuery>(),
                () => sp.GetService<IOptionsMonitor<LlmRouterOptions>>()?.CurrentValue,
                RouterServices.Time(sp)));
            services.TryAddSingleton(static sp => new AuditReports(sp.GetRequiredService<IAuditQuery>(), RouterServices.Time(sp)));
        }
    }
}
