using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmRouter;

/// <summary>Resolves the services the router's layers need, with a clear error when the router was not registered.</summary>
internal static class RouterServices
{
    public static T Get<T>(IServiceProvider services)
        where T : notnull =>
        services.GetService<T>() ?? throw new InvalidOperationException(
            $"LlmRouter's services are not registered ({typeof(T).Name} is missing): call services.AddLlmRouter(...) first, or build a router without a host with LlmRouterClient.Create(...).");

    public static TimeProvider Time(IServiceProvider services) => services.GetService<TimeProvider>() ?? TimeProvider.System;

    /// <summary>Gets the router's spans and metrics, or <see langword="null"/> when its services are not registered.</summary>
    public static RouterTelemetry? Telemetry(IServiceProvider services) => services.GetService<RouterTelemetry>();

    public static ILogger Logger(IServiceProvider services, string category) =>
        services.GetService<ILoggerFactory>()?.CreateLogger(category) ?? NullLogger.Instance;
}
