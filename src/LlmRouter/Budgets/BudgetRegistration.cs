using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmRouter;

/// <summary>Registers the budget services: the in-memory store unless a store package registered another, <see cref="IBudgetQuery"/> and <see cref="BudgetStatistics"/>.</summary>
internal static class BudgetRegistration
{
    public static void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<IBudgetStore, InMemoryBudgetStore>();
        services.TryAddSingleton<BudgetStatistics>();
        services.TryAddSingleton<IBudgetQuery>(static sp => new BudgetQuery(
            sp.GetRequiredService<RoutingTableProvider>(),
            sp.GetRequiredService<IBudgetStore>(),
            RouterServices.Time(sp)));
    }

    /// <summary>Makes a store the <see cref="IBudgetStore"/>, replacing the in-memory default (a later store replaces an earlier one).</summary>
    public static void AddStore<TStore>(IServiceCollection services, Func<IServiceProvider, TStore> factory)
        where TStore : class, IBudgetStore
    {
        services.AddSingleton(factory);
        services.AddSingleton<IBudgetStore>(static sp => sp.GetRequiredService<TStore>());
    }
}
