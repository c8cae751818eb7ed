using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>Sets LlmRouter's per-request settings on <see cref="ChatOptions"/>.</summary>
public static class ChatOptionsExtensions
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> entry that carries the key: <c>LlmRouter.Key</c>.</summary>
    internal const string KeyProperty = "LlmRouter.Key";

    /// <summary>Stands for a key entry that is not a string: it never matches a configured key.</summary>
    private const string NotAKey = "\0";

    /// <summary>Makes the request with a virtual key, overriding the ambient <see cref="RouterContext"/>'s key.</summary>
    /// <param name="options">The request's options; modified and returned.</param>
    /// <param name="key">The key id, a name under <c>LlmRouter:Keys</c>.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <remarks>
    /// The key travels in <see cref="ChatOptions.AdditionalProperties"/> only as far as the first LlmRouter layer, which
    /// removes it from its own copy of the options: it never reaches a provider request, a log line or a telemetry tag.
    /// The caller's <paramref name="options"/> instance keeps it, so it can be reused for the next request.
    /// </remarks>
    /// <example><c>new ChatOptions { ModelId = "mistral-eu-secure" }.WithRouterKey("client-chat")</c></example>
    public static ChatOptions WithRouterKey(this ChatOptions options, string key)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(key);
        (options.AdditionalProperties ??= [])[KeyProperty] = key;
        return options;
    }

    /// <summary>Removes the key from LlmRouter's own copy of the options and returns it (or <see langword="null"/> when none was set).</summary>
    internal static string? TakeRouterKey(ChatOptions copy)
    {
        if (copy.AdditionalProperties is not { } properties || !properties.TryGetValue(KeyProperty, out object? value))
        {
            return null;
        }

        properties.Remove(KeyProperty);
        if (properties.Count == 0)
        {
            copy.AdditionalProperties = null;
        }

        return value as string is { Length: > 0 } key ? key : NotAKey;
    }
}
