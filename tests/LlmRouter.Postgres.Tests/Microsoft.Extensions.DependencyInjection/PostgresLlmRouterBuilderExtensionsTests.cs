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

    [Fact]
    public void The_audit_views_are_granted_to_llmrouter_reader_unless_another_role_or_none_is_configured()
    {
        var services = new ServiceCollection();
        services.AddLlmRouter(_ => { }).AddPostgresStores("Host=127.0.0.1;Database=llmrouter", o => o.ReaderRole = "grafana_reader");
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal("llmrouter_reader", new PostgresStoreOptions().ReaderRole);
        Assert.Equal("grafana_reader", provider.GetRequiredService<PostgresStoreOptions>().ReaderRole);
        new ServiceCollection().AddLlmRouter(_ => { }).AddPostgresStores("Host=127.0.0.1", o => o.ReaderRole = null);
    }

    [Theory]
    [InlineData("Grafana")]
    [InlineData("reader; DROP TABLE audit_records")]
    [InlineData("pg_reader")]
    [InlineData("public")]
    [InlineData("1reader")]
    [InlineData("a_role_name_longer_than_the_sixty_three_bytes_postgresql_keeps_whole")]
    public void A_reader_role_postgresql_would_change_or_refuse_is_refused_at_registration(string role)
    {
        var failure = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddLlmRouter(_ => { }).AddPostgresStores("Host=db;Password=hunter2-secret", o => o.ReaderRole = role));

        Assert.Contains("ReaderRole", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", failure.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new PostgresAuditStore(new PostgresStoreOptions { ConnectionString = "Host=db", ReaderRole = role }));
    }
}
