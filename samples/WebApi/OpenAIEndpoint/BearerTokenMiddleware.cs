using Microsoft.Extensions.Primitives;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>
/// Admits a request to <c>/v1</c> only with a configured bearer token, and attaches the <see cref="ApiCaller"/> it
/// belongs to; anything else is answered 401 with OpenAI's <c>invalid_api_key</c> error.
/// </summary>
/// <remarks>The token is never logged and never echoed, not even in part.</remarks>
internal sealed class BearerTokenMiddleware(RequestDelegate next, BearerTokens tokens)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (!TryAuthenticate(http.Request.Headers.Authorization, out ApiCaller? caller))
        {
            return OpenAIResponses.WriteErrorAsync(http, OpenAIErrors.InvalidApiKey(), route: null);
        }

        http.Features.Set(caller);
        return next(http);
    }

    private bool TryAuthenticate(StringValues authorization, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ApiCaller? caller)
    {
        caller = null;
        if (authorization.Count != 1 || authorization[0] is not { } header)
        {
            return false;
        }

        const string Scheme = "Bearer ";
        ReadOnlySpan<char> value = header.AsSpan();
        return value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && tokens.TryAuthenticate(value[Scheme.Length..].Trim(), out caller);
    }
}
