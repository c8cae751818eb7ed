using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>Sets LlmRouter's per-request settings on <see cref="ChatOptions"/>.</summary>
public static class ChatOptionsExtensions
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> entry that carries the key: <c>LlmRouter.Key</c>.</summary>
    internal const string KeyProperty = "LlmRouter.Key";

    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> entry that carries the route callback: <c>LlmRouter.RouteStarted</c>.</summary>
    internal const string RouteStartedProperty = "LlmRouter.RouteStarted";

    /// <summary>Stands for a key entry that is not a string: it never matches a configured key.</summary>
    private const string NotAKey = "\0";

    /// <summary>Makes the request with a virtual key, overriding the ambient <see cref="RouterContext"/>'s key.</summary>
    /// <param name="options">The request's options; modified and returned.</param>
    /// <param name="key">The key id, a name under <c>LlmRouter:Keys</c>.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// The key travels in <see cref="ChatOptions.AdditionalProperties"/> only as far as the first LlmRouter layer, which
    /// removes it from its own copy of the options: from there on it never reaches a provider request, a log line or a
    /// telemetry tag. The caller's <paramref name="options"/> instance keeps it, so it can be reused for the next request.
    /// </para>
    /// <para>
    /// Middleware the application places in front of the router sees the options as the caller made them, key included:
    /// <c>UseLogging()</c> at <c>Trace</c> level logs them, and <c>UseOpenTelemetry()</c> with <c>EnableSensitiveData</c>
    /// tags their additional properties. With such middleware outside the router, set the caller with
    /// <see cref="RouterContext.Begin"/> instead, which never travels in the options.
    /// </para>
    /// </remarks>
    /// <example><c>new ChatOptions { ModelId = "mistral-eu-secure" }.WithRouterKey("client-chat")</c></example>
    public static ChatOptions WithRouterKey(this ChatOptions options, string key)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(key);
        (options.AdditionalProperties ??= [])[KeyProperty] = key;
        return options;
    }

    /// <summary>
    /// Has LlmRouter hand over the request's <see cref="RouteInfo"/> as soon as the request enters the router, before
    /// any layer runs — for an application that must pass the request id (the id of its audit record) on before a stream
    /// has ended, for example in an HTTP response header.
    /// </summary>
    /// <param name="options">The request's options; modified and returned.</param>
    /// <param name="callback">Called once per request, synchronously, as the request enters the router — before any layer
    /// runs and any provider is called: when <c>GetResponseAsync</c> or <c>GetStreamingResponseAsync</c> is called (for a
    /// stream, before it is read). An exception it throws propagates to that call; with the audit layer, the request is
    /// recorded as failed with the reason <c>caller_error</c>.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// The route is still being written when the callback runs: <see cref="RouteInfo.RequestId"/>,
    /// <see cref="RouteInfo.StartedAt"/>, <see cref="RouteInfo.Streaming"/> and <see cref="RouteInfo.RequestedModel"/>
    /// are final; the rest is filled in as the request proceeds. Once the first streamed update has reached the caller,
    /// the deployment serving the stream is set and no longer changes (<see cref="RouteInfo.ServedModel"/>,
    /// <see cref="RouteInfo.Provider"/>, <see cref="RouteInfo.Region"/>), because fallback never switches a stream that
    /// has started. Read the rest once the request has completed — from the response, or from the stream's last update.
    /// </para>
    /// <para>
    /// Like the key, the callback is taken out of LlmRouter's own copy of the options: it never reaches a provider. The
    /// caller's <paramref name="options"/> keep it, so reusing them for another request calls it again.
    /// </para>
    /// </remarks>
    /// <example><c>options.OnRouteStarted(route => http.Response.Headers["x-request-id"] = route.RequestId.ToString())</c></example>
    public static ChatOptions OnRouteStarted(this ChatOptions options, Action<RouteInfo> callback)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(callback);
        (options.AdditionalProperties ??= [])[RouteStartedProperty] = callback;
        return options;
    }

    /// <summary>Reads the route callback the caller set on the options, or <see langword="null"/> when none was set.</summary>
    internal static Action<RouteInfo>? RouteStartedOf(ChatOptions? options) =>
        options?.AdditionalProperties is { } properties && properties.TryGetValue(RouteStartedProperty, out object? value) ? value as Action<RouteInfo> : null;

    /// <summary>Reads the key the caller set on the options, or <see langword="null"/> when none was set.</summary>
    internal static string? RouterKeyOf(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties || !properties.TryGetValue(KeyProperty, out object? value))
        {
            return null;
        }

        return value as string is { Length: > 0 } key ? key : NotAKey;
    }

    /// <summary>
    /// Copies the caller's additional properties for LlmRouter's own copy of the options, without LlmRouter's entries (the
    /// key, the route callback): <see langword="null"/> when nothing else is left, so a request whose only additional
    /// property is its key copies no dictionary.
    /// </summary>
    internal static AdditionalPropertiesDictionary? WithoutRouterEntries(AdditionalPropertiesDictionary? properties)
    {
        if (properties is null)
        {
            return null;
        }

        int own = (properties.ContainsKey(KeyProperty) ? 1 : 0) + (properties.ContainsKey(RouteStartedProperty) ? 1 : 0);
        if (own == 0)
        {
            return properties.Clone();
        }

        if (own == properties.Count)
        {
            return null;
        }

        AdditionalPropertiesDictionary copy = properties.Clone();
        copy.Remove(KeyProperty);
        copy.Remove(RouteStartedProperty);
        return copy;
    }
}
