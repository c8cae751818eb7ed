using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace LlmRouter;

/// <summary>
/// LlmRouter's own spans and metrics: an outer span per routed request (source <see cref="LlmRouterTelemetry.ActivitySourceName"/>),
/// started by the layer that owns the request and ended when the request completes, with its attempts, skipped targets,
/// fallbacks and refusal as events; and counters of requests by outcome, rejections by reason, fallbacks and cost, and
/// the remaining-budget gauges (meter <see cref="LlmRouterTelemetry.MeterName"/>).
/// </summary>
/// <remarks>
/// <para>
/// One instance per service provider, with its own source and meter (from the application's <see cref="IMeterFactory"/>
/// when there is one), so two routers in one process never mix their measurements. When nobody listens, starting and
/// completing a request costs a few checks and allocates nothing.
/// </para>
/// <para>
/// Tags never carry a prompt, a secret or — on spans — a key id; the key id and the tenant are metric attributes only
/// when <see cref="TelemetryOptions.KeyAttributes"/> and <see cref="TelemetryOptions.TenantAttributes"/> say so, and a
/// requested model the configuration does not know is counted as <c>_OTHER</c>. Thread-safe.
/// </para>
/// </remarks>
internal sealed class RouterTelemetry : IDisposable
{
    private static readonly string? Version = typeof(RouterTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    private readonly TelemetryOptions _options;
    private readonly RoutingTableProvider? _tables;
    private readonly ILogger _logger;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<double> _cost;

    public RouterTelemetry(TelemetryOptions options, IMeterFactory? meterFactory, IBudgetQuery? budgets, RoutingTableProvider? tables, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _tables = tables;
        _logger = logger;
        Source = new ActivitySource(LlmRouterTelemetry.ActivitySourceName, Version);
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(new MeterOptions(LlmRouterTelemetry.MeterName) { Version = Version }) ?? new Meter(LlmRouterTelemetry.MeterName, Version);
        _requests = Meter.CreateCounter<long>(TelemetryNames.Requests, "{request}", "Requests LlmRouter completed, by status (served, rejected, failed, cancelled).");
        _rejections = Meter.CreateCounter<long>(TelemetryNames.Rejections, "{request}", "Requests LlmRouter refused before any provider was called, by reason code.");
        _fallbacks = Meter.CreateCounter<long>(TelemetryNames.Fallbacks, "{fallback}", "Moves to another deployment after a failed attempt, by alias from and to and error class.");
        _cost = Meter.CreateCounter<double>(TelemetryNames.Cost, "USD", "What provider attempts cost, in US dollars, by alias and provider.");
        Budgets = budgets is null ? null : new BudgetGauges(Meter, budgets, options, timeProvider, logger);
    }

    /// <summary>Gets the source of the request spans.</summary>
    public ActivitySource Source { get; }

    /// <summary>Gets the meter of LlmRouter's instruments.</summary>
    public Meter Meter { get; }

    /// <summary>Gets the remaining-budget gauges, or <see langword="null"/> without budgets (audit-only mode).</summary>
    public BudgetGauges? Budgets { get; }

    /// <summary>Starts the request's span, when something listens. Called by the layer that owns the request, inside its own async flow.</summary>
    /// <summary>Gets whether something listens to LlmRouter's spans, so that <see cref="Start"/> may start one.</summary>
    public bool IsTracing => Source.HasListeners();

    public void Start(RouteInfo route)
    {
        if (!Source.HasListeners() || Source.StartActivity(TelemetryNames.RequestActivity, ActivityKind.Internal) is not { } activity)
        {
            return;
        }

        route.Activity = activity;
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(TelemetryNames.RequestId, route.RequestId.ToString());
            activity.SetTag(TelemetryNames.Streaming, route.Streaming);
            if (route.RequestedModel is not null)
            {
                activity.SetTag(TelemetryNames.RequestedModel, ModelNames.Printable(route.RequestedModel));
            }
        }
    }

    /// <summary>Ends the request's span and counts the request, once it has its final status.</summary>
    public void Complete(RouteInfo route)
    {
        if (route.Activity is { } activity)
        {
            route.Activity = null;
            Finish(activity, route);
        }

        if (_requests.Enabled || _rejections.Enabled)
        {
            CountRequest(route);
        }

        if (_cost.Enabled || _fallbacks.Enabled)
        {
            CountAttempts(route);
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            RouterLog.RequestCompleted(_logger, ModelNames.Printable(route.RequestedModel), route.Status, route.ReasonCode ?? "-", route.Deployment?.Id ?? "-", route.Region ?? "-", Calls(route), route.Duration.TotalMilliseconds);
        }
    }

    public void Dispose()
    {
        Budgets?.Dispose();
        Source.Dispose();
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private static int Calls(RouteInfo route)
    {
        int calls = 0;
        IReadOnlyList<RouteAttempt> attempts = route.Attempts;
        for (int i = 0; i < attempts.Count; i++)
        {
            if (attempts[i].Outcome != AttemptOutcome.Skipped)
            {
                calls++;
            }
        }

        return calls;
    }

    private void Finish(Activity activity, RouteInfo route)
    {
        if (activity.IsAllDataRequested)
        {
            Describe(activity, route);
        }

        if (route.Status is RouteStatus.Failed or RouteStatus.Rejected)
        {
            activity.SetTag(TelemetryNames.ErrorType, route.ReasonCode);
            activity.SetStatus(ActivityStatusCode.Error, route.ReasonCode);
        }

        activity.Stop();
    }

    private void Describe(Activity activity, RouteInfo route)
    {
        activity.SetTag(TelemetryNames.Status, AuditText.Status(route.Status));
        if (route.ReasonCode is { } reason)
        {
            activity.SetTag(TelemetryNames.Reason, reason);
        }

        if (route.Deployment is { } served)
        {
            activity.SetTag(TelemetryNames.ServedModel, served.Model);
            activity.SetTag(TelemetryNames.Provider, served.Provider);
            activity.SetTag(TelemetryNames.ProviderModel, served.ProviderModel);
            activity.SetTag(TelemetryNames.Region, served.Region);
            activity.SetTag(TelemetryNames.Deployment, served.Id);
        }

        if (_options.TenantAttributes && route.Tenant is { } tenant)
        {
            activity.SetTag(TelemetryNames.Tenant, tenant);
        }

        activity.SetTag(TelemetryNames.Attempts, AddAttemptEvents(activity, route));
        TokenUsage tokens = route.Tokens;
        activity.SetTag(TelemetryNames.InputTokens, tokens.InputTokens);
        activity.SetTag(TelemetryNames.OutputTokens, tokens.OutputTokens);
        SetIfAny(activity, TelemetryNames.CachedInputTokens, tokens.CachedInputTokens);
        SetIfAny(activity, TelemetryNames.CacheWriteTokens, tokens.CacheWriteTokens);
        SetIfAny(activity, TelemetryNames.ReasoningTokens, tokens.ReasoningTokens);
        if (route.TokensEstimated)
        {
            activity.SetTag(TelemetryNames.TokensEstimated, true);
        }

        if (route.Cost is decimal cost)
        {
            activity.SetTag(TelemetryNames.CostUsd, (double)cost);
        }

        if (route.PriceUnknown)
        {
            activity.SetTag(TelemetryNames.PriceUnknown, true);
        }

        if (route.Status == RouteStatus.Rejected)
        {
            activity.AddEvent(new ActivityEvent(TelemetryNames.RejectedEvent, tags: new ActivityTagsCollection { [TelemetryNames.Reason] = route.ReasonCode }));
        }
    }

    private static void SetIfAny(Activity activity, string name, long value)
    {
        if (value != 0)
        {
            activity.SetTag(name, value);
        }
    }

    /// <summary>Adds an event per attempt, skipped target and fallback, each stamped with when it started; returns the number of calls made.</summary>
    private static int AddAttemptEvents(Activity activity, RouteInfo route)
    {
        int calls = 0;
        RouteAttempt? failed = null;
        IReadOnlyList<RouteAttempt> attempts = route.Attempts;
        for (int i = 0; i < attempts.Count; i++)
        {
            RouteAttempt attempt = attempts[i];
            if (attempt.Outcome == AttemptOutcome.Skipped)
            {
                var skipped = new ActivityTagsCollection { [TelemetryNames.Model] = attempt.Model, [TelemetryNames.SkipReason] = attempt.SkipReason };
                if (attempt.Deployment is { } deployment)
                {
                    skipped[TelemetryNames.Deployment] = deployment.Id;
                }

                activity.AddEvent(new ActivityEvent(TelemetryNames.SkippedEvent, attempt.StartedAt, skipped));
                continue;
            }

            calls++;
            if (failed is not null)
            {
                activity.AddEvent(new ActivityEvent(TelemetryNames.FallbackEvent, attempt.StartedAt, new ActivityTagsCollection
                {
                    [TelemetryNames.FallbackFrom] = failed.Model,
                    [TelemetryNames.FallbackTo] = attempt.Model,
                    [TelemetryNames.ErrorType] = ErrorType(failed),
                }));
            }

            var tags = new ActivityTagsCollection
            {
                [TelemetryNames.Model] = attempt.Model,
                [TelemetryNames.Deployment] = attempt.Deployment?.Id,
                [TelemetryNames.Provider] = attempt.Provider,
                [TelemetryNames.Region] = attempt.Region,
                [TelemetryNames.Outcome] = AuditText.Outcome(attempt.Outcome),
                [TelemetryNames.DurationMs] = attempt.Duration.TotalMilliseconds,
            };
            if (AuditText.Error(attempt.ErrorClass) is { } error)
            {
                tags[TelemetryNames.ErrorType] = error;
            }

            if (attempt.StatusCode is int status)
            {
                tags[TelemetryNames.HttpStatusCode] = status;
            }

            activity.AddEvent(new ActivityEvent(TelemetryNames.AttemptEvent, attempt.StartedAt, tags));
            failed = attempt.Outcome == AttemptOutcome.Failed ? attempt : null;
        }

        return calls;
    }

    private static string ErrorType(RouteAttempt failed) => AuditText.Error(failed.ErrorClass) ?? "unknown";

    private void CountRequest(RouteInfo route)
    {
        string? requested = RequestedModel(route);
        if (_requests.Enabled)
        {
            TagList tags = default;
            tags.Add(TelemetryNames.Status, AuditText.Status(route.Status));
            if (route.ReasonCode is { } reason)
            {
                tags.Add(TelemetryNames.Reason, reason);
            }

            if (requested is not null)
            {
                tags.Add(TelemetryNames.RequestedModel, requested);
            }

            if (route.Deployment is { } served)
            {
                tags.Add(TelemetryNames.ServedModel, served.Model);
                tags.Add(TelemetryNames.Provider, served.Provider);
            }

            AddCaller(ref tags, route);
            _requests.Add(1, in tags);
        }

        if (route.Status == RouteStatus.Rejected && _rejections.Enabled)
        {
            TagList tags = default;
            tags.Add(TelemetryNames.Reason, route.ReasonCode);
            if (requested is not null)
            {
                tags.Add(TelemetryNames.RequestedModel, requested);
            }

            AddCaller(ref tags, route);
            _rejections.Add(1, in tags);
        }
    }

    private void CountAttempts(RouteInfo route)
    {
        RouteAttempt? failed = null;
        IReadOnlyList<RouteAttempt> attempts = route.Attempts;
        for (int i = 0; i < attempts.Count; i++)
        {
            RouteAttempt attempt = attempts[i];
            if (attempt.Outcome == AttemptOutcome.Skipped)
            {
                continue;
            }

            if (failed is not null && _fallbacks.Enabled)
            {
                TagList fallback = default;
                fallback.Add(TelemetryNames.FallbackFrom, failed.Model);
                fallback.Add(TelemetryNames.FallbackTo, attempt.Model);
                fallback.Add(TelemetryNames.ErrorType, ErrorType(failed));
                _fallbacks.Add(1, in fallback);
            }

            if (attempt.Cost is decimal cost && cost != 0m && _cost.Enabled)
            {
                TagList tags = default;
                tags.Add(TelemetryNames.Model, attempt.Model);
                tags.Add(TelemetryNames.Provider, attempt.Provider);
                AddCaller(ref tags, route);
                _cost.Add((double)cost, in tags);
            }

            failed = attempt.Outcome == AttemptOutcome.Failed ? attempt : null;
        }
    }

    private void AddCaller(ref TagList tags, RouteInfo route)
    {
        if (_options.KeyAttributes && route.Key is { } key)
        {
            tags.Add(TelemetryNames.Key, key);
        }

        if (_options.TenantAttributes && route.Tenant is { } tenant)
        {
            tags.Add(TelemetryNames.Tenant, tenant);
        }
    }

    /// <summary>The requested alias as a metric attribute: a configured alias as it is, anything else <c>_OTHER</c> (callers choose the name).</summary>
    private string? RequestedModel(RouteInfo route)
    {
        if (route.RequestedModel is not { } model)
        {
            return null;
        }

        if (_tables is null)
        {
            // Audit-only mode: the application, not its callers, names the models of its own client.
            return model;
        }

        RoutingTable? table = route.Table ?? _tables.Peek();
        return table is not null && table.TryGetModel(model, out _) ? model : TelemetryNames.OtherModel;
    }
}
