using LlmRouter;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers LlmRouter's audit log alone, for applications that only want the record of their chat clients' calls (audit-only mode).</summary>
public static class LlmRouterAuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers audit-only mode configured from the <c>LlmRouter</c> section (its <c>Audit</c> settings). Add a store to
    /// the returned builder, and the audit layer to your client with <c>UseLlmRouterAudit()</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>LlmRouter</c> section; only <c>Audit</c> is needed.</param>
    /// <returns>A builder to add a store to (<c>AddSqliteStores</c>, <c>AddPostgresStores</c>).</returns>
    /// <exception cref="InvalidOperationException"><c>AddLlmRouter</c> was called: it includes the audit layer already.</exception>
    /// <remarks>Validated when the host starts, like <c>AddLlmRouter</c>.</remarks>
    public static LlmRouterBuilder AddLlmRouterAudit(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        RouterRegistrations registrations = AddAuditOnly(services);
        services.AddOptions<LlmRouterOptions>().Configure(options => LlmRouterOptionsBinder.Bind(configuration, options));
        return new LlmRouterBuilder(services, registrations);
    }

    /// <summary>Registers audit-only mode configured in code. Add a store to the returned builder, and the audit layer to your client with <c>UseLlmRouterAudit()</c>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the audit options.</param>
    /// <returns>A builder to add a store to (<c>AddSqliteStores</c>, <c>AddPostgresStores</c>).</returns>
    /// <exception cref="InvalidOperationException"><c>AddLlmRouter</c> was called: it includes the audit layer already.</exception>
    public static LlmRouterBuilder AddLlmRouterAudit(this IServiceCollection services, Action<AuditOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        RouterRegistrations registrations = AddAuditOnly(services);
        services.AddOptions<LlmRouterOptions>().Configure(options => configure(options.Audit));
        return new LlmRouterBuilder(services, registrations);
    }

    private static RouterRegistrations AddAuditOnly(IServiceCollection services)
    {
        if (LlmRouterServiceCollectionExtensions.FindRegistrations(services) is { } existing)
        {
            return existing.AuditOnly
                ? existing
                : throw new InvalidOperationException("AddLlmRouter(...) already includes the audit layer; AddLlmRouterAudit(...) is for clients LlmRouter does not route.");
        }

        return LlmRouterServiceCollectionExtensions.AddFoundation(services, auditOnly: true);
    }
}
