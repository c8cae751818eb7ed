using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>Reads the <see cref="RouteInfo"/> LlmRouter attaches to what it returns.</summary>
public static class RouteInfoExtensions
{
    /// <summary>Gets where a response went and what it cost.</summary>
    /// <param name="response">A response returned by LlmRouter, or built with <c>ToChatResponseAsync()</c> from its stream.</param>
    /// <returns>The route, or <see langword="null"/> when the response did not come through LlmRouter.</returns>
    public static RouteInfo? GetRouteInfo(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (Find(response.AdditionalProperties) is { } route)
        {
            return route;
        }

        // Updates that carried a message id scope their properties to the message.
        for (int i = response.Messages.Count - 1; i >= 0; i--)
        {
            if (Find(response.Messages[i].AdditionalProperties) is { } messageRoute)
            {
                return messageRoute;
            }
        }

        return null;
    }

    /// <summary>Gets the route carried by a streamed update; LlmRouter sends it in the stream's last update.</summary>
    /// <param name="update">A streamed update.</param>
    /// <returns>The route, or <see langword="null"/> when this update does not carry it.</returns>
    public static RouteInfo? GetRouteInfo(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Find(update.AdditionalProperties);
    }

    private static RouteInfo? Find(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(RouterRequest.RouteInfoKey, out object? value) ? value as RouteInfo : null;
}
