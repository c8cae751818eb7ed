using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter;

/// <summary>
/// LlmRouter without a host: builds the standard pipeline from options or a configuration section, validates the
/// configuration at once, and owns the services it created.
/// </summary>
/// <remarks>
/// Use it in console tools and tests; applications with a host use <c>services.AddLlmRouter(...)</c>. Dispose it (or
/// <see cref="DisposeAsync"/>) to release providers and flush stores. Thread-safe.
/// </remarks>
public sealed class LlmRouterClient : DelegatingChatClient, IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private LlmRouterClient(ServiceProvider services)
        : base(services.GetRequiredService<IChatClient>()) => _services = services;

    /// <summary>Gets the services the router runs on (for example to resolve stores or queries).</summary>
    public IServiceProvider Services => _services;

    /// <summary>Builds a router from options set in code.</summary>
    /// <param name="options">The options.</param>
    /// <param name="configure">Registers providers built in code, strategies or stores.</param>
    /// <returns>The router.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are not valid; every error is listed.</exception>
    public static LlmRouterClient Create(LlmRouterOptions options, Action<LlmRouterBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Build(services => services.AddLlmRouter(target => CopyInto(options, target)), configure);
    }

    /// <summary>Builds a router from a configuration section (usually <c>LlmRouter</c>).</summary>
    /// <param name="configuration">The section.</param>
    /// <param name="configure">Registers providers built in code, strategies or stores.</param>
    /// <returns>The router.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The configuration is not valid; every error is listed.</exception>
    public static LlmRouterClient FromConfiguration(IConfiguration configuration, Action<LlmRouterBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Build(services => services.AddLlmRouter(configuration), configure);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _services.Dispose();
        }

        base.Dispose(disposing);
    }

    private static LlmRouterClient Build(Func<IServiceCollection, LlmRouterBuilder> add, Action<LlmRouterBuilder>? configure)
    {
        var services = new ServiceCollection();
        LlmRouterBuilder builder = add(services);
        configure?.Invoke(builder);
        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        try
        {
            // Validates the configuration now, reporting every error, rather than on the first request.
            _ = provider.GetRequiredService<RoutingTableProvider>().Current;
            AuditRegistration.WarnWhenUnrecorded(provider);
            return new LlmRouterClient(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    private static void CopyInto(LlmRouterOptions source, LlmRouterOptions target)
    {
        foreach (PropertyInfo property in typeof(LlmRouterOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanWrite)
            {
                property.SetValue(target, property.GetValue(source));
            }
        }
    }
}
