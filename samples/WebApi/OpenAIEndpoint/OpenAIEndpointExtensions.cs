using LlmRouter;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>Registers and maps the OpenAI-compatible endpoint.</summary>
internal static class OpenAIEndpointExtensions
{
    public static IServiceCollection AddOpenAIEndpoint(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OpenAIEndpointOptions>().Bind(configuration.GetSection(OpenAIEndpointOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpenAIEndpointOptions>, OpenAIEndpointOptionsValidator>();
        services.AddSingleton<BearerTokens>();
        services.AddSingleton<EndpointClock>();
        return services;
    }

    /// <summary>Maps <c>/v1</c>: every request there needs a bearer token; unknown paths get OpenAI's 404.</summary>
    public static WebApplication MapOpenAIEndpoint(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal), v1 => v1.UseMiddleware<BearerTokenMiddleware>());
        app.MapPost("/v1/chat/completions", (HttpContext http, IChatClient chat, ILoggerFactory logs) => ChatCompletionsEndpoint.HandleAsync(http, chat, logs.CreateLogger(typeof(ChatCompletionsEndpoint).FullName!)));
        app.MapGet("/v1/models", (HttpContext http, KeyCatalog keys, EndpointClock clock) => ModelsEndpoint.ListAsync(http, keys, clock));
        app.MapGet("/v1/models/{**model}", (HttpContext http, string model, KeyCatalog keys, EndpointClock clock) => ModelsEndpoint.GetAsync(http, model, keys, clock));
        app.MapFallback("/v1/{**path}", (HttpContext http) => OpenAIResponses.WriteErrorAsync(
            http,
            OpenAIErrors.NotFound($"Invalid URL ({http.Request.Method} {http.Request.Path})", null, null),
            route: null));
        return app;
    }
}
