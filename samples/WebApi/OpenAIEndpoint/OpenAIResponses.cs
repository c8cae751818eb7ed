using System.Globalization;
using LlmRouter;

namespace WebApiSample.OpenAIEndpoint;

/// <summary>Writes the endpoint's JSON answers and error answers, with OpenAI's headers.</summary>
internal static class OpenAIResponses
{
    /// <summary>Sets <c>x-request-id</c>: the id of the request's audit record.</summary>
    public static void SetRequestId(HttpResponse response, RouteInfo? route)
    {
        if (route is not null)
        {
            response.Headers["x-request-id"] = route.RequestId.ToString("D", CultureInfo.InvariantCulture);
        }
    }

    public static Task WriteErrorAsync(HttpContext http, ApiError error, RouteInfo? route)
    {
        HttpResponse response = http.Response;
        response.StatusCode = error.Status;
        SetRequestId(response, route);
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        if (error.ShouldRetry is bool retry)
        {
            response.Headers["x-should-retry"] = retry ? "true" : "false";
        }

        if (error.RetryAfter is TimeSpan wait)
        {
            // Retry-After takes whole seconds: round up, so a client never comes back before the limit has room.
            response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            response.Headers["retry-after-ms"] = ((long)Math.Ceiling(wait.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        }

        return response.WriteAsJsonAsync(new ErrorBody(error.Detail), OpenAIJsonContext.Wire.ErrorBody, "application/json", http.RequestAborted);
    }
}
