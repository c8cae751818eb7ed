using LlmRouter;
using Microsoft.AspNetCore.Http.Features;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>
/// <c>GET /v1/models</c> and <c>GET /v1/models/{model}</c>: the aliases the caller's key may request, in OpenAI's list shape.
/// </summary>
internal static class ModelsEndpoint
{
    /// <summary>The <c>owned_by</c> of every alias: they are the gateway's names, whoever serves them.</summary>
    public const string Owner = "llmrouter";

    public static Task ListAsync(HttpContext http, KeyCatalog keys, EndpointClock clock)
    {
        if (!keys.TryGetModels(http.Features.GetRequiredFeature<ApiCaller>().Key, out IReadOnlyList<string> models))
        {
            return OpenAIResponses.WriteErrorAsync(http, OpenAIErrors.InvalidApiKey(), route: null);
        }

        var body = new ModelListBody([.. models.Select(alias => new ModelBody(alias, clock.Started, Owner))]);
        return http.Response.WriteAsJsonAsync(body, OpenAIJsonContext.Wire.ModelListBody, "application/json", http.RequestAborted);
    }

    public static Task GetAsync(HttpContext http, string model, KeyCatalog keys, EndpointClock clock)
    {
        if (!keys.TryGetModels(http.Features.GetRequiredFeature<ApiCaller>().Key, out IReadOnlyList<string> models))
        {
            return OpenAIResponses.WriteErrorAsync(http, OpenAIErrors.InvalidApiKey(), route: null);
        }

        return models.Contains(model, StringComparer.Ordinal)
            ? http.Response.WriteAsJsonAsync(new ModelBody(model, clock.Started, Owner), OpenAIJsonContext.Wire.ModelBody, "application/json", http.RequestAborted)
            : OpenAIResponses.WriteErrorAsync(http, OpenAIErrors.NotFound($"The model '{model}' does not exist or you do not have access to it.", "model", "model_not_found"), route: null);
    }
}
