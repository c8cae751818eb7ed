using LlmRouter.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Sqlite.Tests.DependencyInjection;

public class SqliteLlmRouterBuilderExtensionsTests
{
    [Fact]
    public void The_stores_are_registered_with_one_call()
    {
        var services = new ServiceCollection();
        services.AddLlmRouter(_ => { }).AddSqliteStores("Data Source=llmrouter.db");

        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal("Data Source=llmrouter.db", provider.GetRequiredService<SqliteStoreOptions>().ConnectionString);
        var store = Assert.IsType<SqliteAuditStore>(provider.GetRequiredService<IAuditStore>());
        Assert.Same(store, provider.GetRequiredService<IAuditQuery>());
        Assert.Same(store, provider.GetRequiredService<IAuditReader>());
        Assert.IsType<AuditVerifier>(provider.GetRequiredService<IAuditVerifier>());
        Assert.IsType<SqliteBudgetStore>(provider.GetRequiredService<IBudgetStore>());
        Assert.Same(provider.GetRequiredService<SpendStatements>(), provider.GetRequiredService<SpendStatements>());
        Assert.Same(provider.GetRequiredService<AuditReports>(), provider.GetRequiredService<AuditReports>());
    }

    [Fact]
    public void A_connection_string_that_cannot_be_parsed_is_refused_at_registration()
    {
        var services = new ServiceCollection();

        var failure = Assert.Throws<ArgumentException>(() => services.AddLlmRouter(_ => { }).AddSqliteStores("Data Source=x.db;Colour=blue"));

        Assert.Equal("connectionString", failure.ParamName);
    }
}
