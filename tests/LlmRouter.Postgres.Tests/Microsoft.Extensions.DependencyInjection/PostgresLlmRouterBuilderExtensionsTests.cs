using LlmRouter.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Postgres.Tests.DependencyInjection;

public class PostgresLlmRouterBuilderExtensionsTests
{
    [Fact]
    public void The_stores_are_registered_with_one_call()
    {
        var services = new ServiceCollection();
        services.AddLlmRouter(_ => { }).AddPostgresStores("Host=127.0.0.1;Database=llmrouter;Username=app");

        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Contains("Database=llmrouter", provider.GetRequiredService<PostgresStoreOptions>().ConnectionString, StringComparison.Ordinal);
        var store = Assert.IsType<PostgresAuditStore>(provider.GetRequiredService<IAuditStore>());
        Assert.Same(store, provider.GetRequiredService<IAuditQuery>());
        Assert.Same(store, provider.GetRequiredService<IAuditReader>());
        Assert.IsType<AuditVerifier>(provider.GetRequiredService<IAuditVerifier>());
        Assert.IsType<PostgresBudgetStore>(provider.GetRequiredService<IBudgetStore>());
        Assert.Same(provider.GetRequiredService<SpendStatements>(), provider.GetRequiredService<SpendStatements>());
        Assert.Same(provider.GetRequiredService<AuditReports>(), provider.GetRequiredService<AuditReports>());
    }

    [Fact]
    public void A_connection_string_that_cannot_be_parsed_is_refused_without_repeating_its_password()
    {
        var services = new ServiceCollection();

        var failure = Assert.Throws<ArgumentException>(() => services.AddLlmRouter(_ => { }).AddPostgresStores("Host=db;Password=hunter2-secret;Flavour=vanilla"));

        Assert.DoesNotContain("hunter2-secret", failure.Message, StringComparison.Ordinal);
        Assert.Equal("connectionString", failure.ParamName);
    }
}
