using System.Net;

namespace WebApiSample.InProcess;

/// <summary>Maps <c>/internal</c>: the application's own endpoints, answered to loopback callers only.</summary>
internal static class InProcessEndpointExtensions
{
    public static WebApplication MapInProcessEndpoints(this WebApplication app)
    {
        // Stands in for the application's own authentication: these endpoints spend the back office's key.
        RouteGroupBuilder group = app.MapGroup("/internal").AddEndpointFilter(static async (context, next) =>
            context.HttpContext.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
                ? await next(context)
                : Results.NotFound());

        group.MapPost("/summarize", SummarizeEndpoint.HandleAsync);
        group.MapGet("/audit/{requestId:guid}", AuditEndpoints.GetAsync);
        group.MapGet("/spend", AuditEndpoints.SpendAsync);
        group.MapGet("/budget/{key}", BudgetEndpoint.GetAsync);
        return app;
    }
}
