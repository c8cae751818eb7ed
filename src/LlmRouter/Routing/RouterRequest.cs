using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmRouter;

/// <summary>
/// Starts and finishes a request's <see cref="RouteInfo"/>. Whichever of LlmRouter's layers sees a request first owns
/// it: it creates the route, times the whole call, sets the final status and attaches the route to the response (or,
/// for a stream, to a last update, so <c>ToChatResponseAsync()</c> carries it).
/// </summary>
internal static class RouterRequest
{
    /// <summary>The key under which the route is stored in a response's or update's <c>AdditionalProperties</c>.</summary>
    public const string RouteInfoKey = "LlmRouter.RouteInfo";

    public static RouteInfo Enter(ref IEnumerable<ChatMessage> messages, ref ChatOptions? options, TimeProvider timeProvider, RouterTelemetry? telemetry, bool streaming, out bool owner)
    {
        RouteInfo route = Enter(ref messages, ref options, timeProvider, telemetry, streaming, out owner, out Action<RouteInfo>? started);
        started?.Invoke(route);
        return route;
    }

    /// <summary>
    /// Enters the request like <see cref="Enter(ref IEnumerable{ChatMessage}, ref ChatOptions?, TimeProvider, RouterTelemetry?, bool, out bool)"/>,
    /// but hands the caller's <c>OnRouteStarted</c> callback back instead of calling it: for the audit layer, which calls
    /// it where an exception it throws still leaves the request's record.
    /// </summary>
    public static RouteInfo Enter(ref IEnumerable<ChatMessage> messages, ref ChatOptions? options, TimeProvider timeProvider, RouterTelemetry? telemetry, bool streaming, out bool owner, out Action<RouteInfo>? started)
    {
        ArgumentNullException.ThrowIfNull(messages);
        started = null;
        if (options is RouterChatOptions entered)
        {
            owner = false;
            return entered.Route;
        }

        var route = new RouteInfo(timeProvider, streaming, options?.ModelId) { Telemetry = telemetry };

        // The key goes no further than here: the request's copy of the options leaves it out, so no provider request,
        // log line or telemetry tag ever carries it.
        route.ExplicitKey = ChatOptionsExtensions.RouterKeyOf(options);
        route.Ambient = RouterContext.Current;
        started = ChatOptionsExtensions.RouteStartedOf(options);
        options = new RouterChatOptions(options, route);

        // Fallback may send the messages more than once; a one-shot sequence must be read only once.
        if (messages is not ICollection<ChatMessage> and not IReadOnlyCollection<ChatMessage>)
        {
            messages = [.. messages];
        }

        route.AttachRequest(messages, options);
        owner = true;
        return route;
    }

    /// <summary>
    /// Sends the request to the next client the way an <c>await</c> inside an async method would see it: an exception
    /// thrown synchronously comes back as a faulted task.
    /// </summary>
    /// <remarks>
    /// The layers complete a call whose inner client completed synchronously (a cache, an in-process model, the
    /// Simulated provider) without an async state machine — a <see cref="Task{TResult}"/> saved per layer — and hand
    /// anything else, a failure included, to their async path, which awaits the task this returns.
    /// </remarks>
    public static Task<ChatResponse> Send(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return client.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<ChatResponse>(ex);
        }
    }

    /// <summary>Runs the request the layer owns: times it, completes its route and attaches the route to the response.</summary>
    public static Task<ChatResponse> Run<TLayer>(
        TLayer layer,
        IEnumerable<ChatMessage> messages,
        RouterChatOptions options,
        Func<TLayer, IEnumerable<ChatMessage>, RouterChatOptions, CancellationToken, Task<ChatResponse>> core,
        CancellationToken cancellationToken)
    {
        RouteInfo route = options.Route;
        if (route.Telemetry?.IsTracing == true)
        {
            return RunTracedAsync(layer, messages, options, core, cancellationToken);
        }

        Task<ChatResponse> pending = Send(layer, messages, options, core, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return CompleteAsync(route, pending, cancellationToken);
        }

        Served(route, pending.Result, cancellationToken);
        return pending;
    }

    private static async Task<ChatResponse> RunTracedAsync<TLayer>(
        TLayer layer,
        IEnumerable<ChatMessage> messages,
        RouterChatOptions options,
        Func<TLayer, IEnumerable<ChatMessage>, RouterChatOptions, CancellationToken, Task<ChatResponse>> core,
        CancellationToken cancellationToken)
    {
        RouteInfo route = options.Route;

        // Here, inside the async flow, so that the span is the current activity for the layers within and not for the caller.
        route.Telemetry?.Start(route);
        return await CompleteAsync(route, Send(layer, messages, options, core, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private static Task<ChatResponse> Send<TLayer>(
        TLayer layer,
        IEnumerable<ChatMessage> messages,
        RouterChatOptions options,
        Func<TLayer, IEnumerable<ChatMessage>, RouterChatOptions, CancellationToken, Task<ChatResponse>> core,
        CancellationToken cancellationToken)
    {
        try
        {
            return core(layer, messages, options, cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<ChatResponse>(ex);
        }
    }

    private static async Task<ChatResponse> CompleteAsync(RouteInfo route, Task<ChatResponse> pending, CancellationToken cancellationToken)
    {
        ChatResponse response;
        try
        {
            response = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Complete(route, ex, abandoned: false, cancellationToken);
            throw;
        }

        Served(route, response, cancellationToken);
        return response;
    }

    private static void Served(RouteInfo route, ChatResponse response, CancellationToken cancellationToken)
    {
        Complete(route, failure: null, abandoned: false, cancellationToken);
        Attach(response, route);
    }

    /// <summary>Attaches the route to the response, where <c>GetRouteInfo()</c> finds it.</summary>
    public static void Attach(ChatResponse response, RouteInfo route) => (response.AdditionalProperties ??= [])[RouteInfoKey] = route;

    public static async IAsyncEnumerable<ChatResponseUpdate> StreamAsync<TLayer>(
        TLayer layer,
        IEnumerable<ChatMessage> messages,
        RouterChatOptions options,
        Func<TLayer, IEnumerable<ChatMessage>, RouterChatOptions, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> core,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RouteInfo route = options.Route;
        route.Telemetry?.Start(route);
        IAsyncEnumerator<ChatResponseUpdate> updates = core(layer, messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        Exception? failure = null;
        bool completed = false;
        try
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    failure = ex;
                    throw;
                }

                yield return updates.Current;
            }

            completed = true;
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
            Complete(route, failure, abandoned: !completed && failure is null, cancellationToken);
        }

        yield return new ChatResponseUpdate { AdditionalProperties = new() { [RouteInfoKey] = route } };
    }

    /// <summary>Sets the route's final status, reason and duration, and ends its span.</summary>
    internal static void Complete(RouteInfo route, Exception? failure, bool abandoned, CancellationToken cancellationToken)
    {
        route.Duration = route.Elapsed;
        route.ReleaseRequest();
        if (abandoned || (failure is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            route.Status = RouteStatus.Cancelled;
            route.ReasonCode = ReasonCodes.Cancelled;
        }
        else if (failure is LlmRouterException refusal)
        {
            refusal.Route ??= route;
            route.Status = refusal.IsRejection ? RouteStatus.Rejected : RouteStatus.Failed;
            route.ReasonCode = refusal.ReasonCode;
        }
        else if (failure is not null)
        {
            route.Status = RouteStatus.Failed;
            route.ReasonCode = ReasonCodes.ProviderError;
        }
        else
        {
            route.Status = RouteStatus.Served;
        }

        route.Telemetry?.Complete(route);
    }

    /// <summary>Resolves the alias the caller asked for on the request's table, once; an alias the table does not know is refused (and logged).</summary>
    public static ModelGroup ResolveRequested(RouteInfo route, RoutingTableProvider tables, ILogger logger)
    {
        if (route.RequestedGroup is { } resolved)
        {
            return resolved;
        }

        RoutingTable table = route.Table ??= tables.Current;
        if (!table.TryGetModel(route.RequestedModel, out ModelGroup? group))
        {
            RouterLog.Refused(logger, ModelNames.Printable(route.RequestedModel), ReasonCodes.UnknownModel);
            throw new UnknownModelException(route.RequestedModel, route);
        }

        route.RequestedGroup = group;

        // After the outer layers' gates, so their reasons (key, region, budget) are the ones recorded first.
        route.Gates = route.Gates.With(ContextWindowGate.Instance).With(StrictPricingGate.Instance);
        return group;
    }
}
