using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter;

/// <summary>Registers what LlmRouter's configuration cannot hold: provider clients built in code, routing strategies, error classifiers, budget callbacks, stores.</summary>
/// <remarks>Returned by <c>services.AddLlmRouter(...)</c>; the store packages add their own methods (<c>AddSqliteStores</c>, <c>AddPostgresStores</c>).</remarks>
public sealed class LlmRouterBuilder
{
    private readonly RouterRegistrations _registrations;

    internal LlmRouterBuilder(IServiceCollection services, RouterRegistrations registrations)
    {
        Services = services;
        _registrations = registrations;
    }

    /// <summary>Gets the service collection the router is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Supplies the client of a provider configured with <c>"Kind": "Custom"</c> — any <see cref="IChatClient"/>, for
    /// example the Anthropic SDK's or OllamaSharp's. The provider keeps its configuration entry for its region.
    /// </summary>
    /// <param name="name">The provider's name, as in <c>LlmRouter:Providers</c>.</param>
    /// <param name="factory">Creates the client once, from the application's services.</param>
    /// <returns>This builder.</returns>
    public LlmRouterBuilder AddProvider(string name, Func<IServiceProvider, IChatClient> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        _registrations.Providers[name] = factory;
        return this;
    }

    /// <summary>Supplies the client of a provider configured with <c>"Kind": "Custom"</c>.</summary>
    /// <param name="name">The provider's name, as in <c>LlmRouter:Providers</c>.</param>
    /// <param name="client">The client.</param>
    /// <returns>This builder.</returns>
    public LlmRouterBuilder AddProvider(string name, IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return AddProvider(name, _ => client);
    }

    /// <summary>
    /// Puts Microsoft.Extensions.AI middleware on every provider client — the configured providers' and those added with
    /// <see cref="AddProvider(string, Func{IServiceProvider, IChatClient})"/> — inside the fallback loop, so that it sees
    /// each attempt on its own: <c>UseOpenTelemetry()</c> gives every attempt its own <c>chat</c> span, nested in
    /// LlmRouter's request span, and its own <c>gen_ai.*</c> measurements.
    /// </summary>
    /// <param name="configure">
    /// Called once for each provider client (a custom provider's once, the others again when a reload builds a new routing
    /// table), with the provider's name as in <c>LlmRouter:Providers</c> and a builder over its client; add middleware with
    /// the builder's <c>UseXxx</c> methods. The builder is built with the application's services. Calls accumulate, in order.
    /// </param>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// The client under the middleware reports the provider's configured name as its
    /// <see cref="ChatClientMetadata.ProviderName"/> (<c>gen_ai.provider.name</c>), so two providers of one kind are told
    /// apart. The request reaching the middleware carries the provider's model id and no virtual key; with
    /// <c>EnableSensitiveData</c> the middleware sees the prompt as sent to that provider (after PII redaction).
    /// </remarks>
    /// <example>
    /// <code>
    /// services.AddLlmRouter(configuration.GetSection("LlmRouter"))
    ///     .ConfigureProviderClients((provider, client) => client.UseOpenTelemetry());
    /// </code>
    /// </example>
    public LlmRouterBuilder ConfigureProviderClients(Action<string, ChatClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _registrations.ProviderClientPipelines.Add(configure);
        return this;
    }

    /// <summary>Registers a routing strategy under a name that <c>Routing:Strategy</c> or a model's <c>Strategy</c> can use.</summary>
    /// <param name="name">The strategy's name.</param>
    /// <param name="factory">Creates the strategy once, from the application's services.</param>
    /// <returns>This builder.</returns>
    public LlmRouterBuilder AddRoutingStrategy(string name, Func<IServiceProvider, IDeploymentSelector> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        _registrations.Strategies[name] = factory;
        return this;
    }

    /// <summary>Sets the clock LlmRouter reads: cooldowns, windows, stream timeouts, periods. Tests pass a fake one.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>This builder.</returns>
    public LlmRouterBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        Services.AddSingleton(timeProvider);
        return this;
    }

    /// <summary>
    /// Registers a callback run when a budget's committed spend reaches its <c>SoftLimit</c>: once per budget and period,
    /// after the request that reached it was settled. A warning is logged either way.
    /// </summary>
    /// <param name="callback">The callback. It runs on the request's flow before the response is returned, so keep it short or hand the work off; an exception it throws is logged, never passed to the caller.</param>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// Committed spend only grows within a period, and a settlement is one atomic step, so exactly one request reaches
    /// a soft limit: with a shared SQLite or PostgreSQL store the callback runs in the process that settled it, not in
    /// every process (unless that process stops between the settlement and the callback).
    /// </remarks>
    public LlmRouterBuilder OnBudgetSoftLimit(Func<BudgetSoftLimitArguments, ValueTask> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Services.AddSingleton(new BudgetSoftLimitCallback(callback));
        return this;
    }

    /// <summary>Registers a classifier for the exceptions of a provider SDK LlmRouter does not know.</summary>
    /// <param name="classifier">The classifier; asked before the built-in rules.</param>
    /// <returns>This builder.</returns>
    public LlmRouterBuilder AddErrorClassifier(IProviderErrorClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        Services.AddSingleton(classifier);
        return this;
    }
}
