using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlmRouter.Tests.Audit;

public class AuditOptionsTests
{
    private static IConfigurationSection Section(Dictionary<string, string?> values) => Routers.Section(values);

    private static Dictionary<string, string?> Valid() => Routers.MinimalConfiguration();

    [Fact]
    public void The_Audit_section_binds_with_its_defaults_for_what_it_leaves_out()
    {
        var values = Valid();
        values["LlmRouter:Audit:Durability"] = "Synchronous";
        values["LlmRouter:Audit:Content"] = "Redacted";
        values["LlmRouter:Audit:BatchSize"] = "250";
        using var router = LlmRouterClient.FromConfiguration(Section(values));

        AuditOptions audit = router.Services.GetRequiredService<IOptions<LlmRouterOptions>>().Value.Audit;

        Assert.Equal((AuditDurability.Synchronous, AuditContentMode.Redacted, 250), (audit.Durability, audit.Content, audit.BatchSize));
        Assert.Equal((AuditQueueFullBehavior.Wait, AuditOptions.DefaultQueueCapacity, AuditOptions.DefaultFlushInterval), (audit.QueueFull, audit.QueueCapacity, audit.FlushInterval));
        Assert.Equal((AuditOptions.DefaultContentMaxChars, AuditOptions.DefaultRetryInitialDelay, AuditOptions.DefaultRetryMaxDelay), (audit.ContentMaxChars, audit.RetryInitialDelay, audit.RetryMaxDelay));
    }

    [Fact]
    public void Every_audit_mistake_is_reported_with_its_path()
    {
        var values = Valid();
        values["LlmRouter:Audit:Durability"] = "Synchronous";
        values["LlmRouter:Audit:QueueFull"] = "Drop";
        values["LlmRouter:Audit:BatchSize"] = "0";
        values["LlmRouter:Audit:RetryInitialDelay"] = "00:00:05";
        values["LlmRouter:Audit:RetryMaxDelay"] = "00:00:01";
        values["LlmRouter:Audit:Contnet"] = "Full";

        var exception = Assert.Throws<OptionsValidationException>(() => LlmRouterClient.FromConfiguration(Section(values)));

        Assert.Contains(exception.Failures, f => f.StartsWith("LlmRouter:Audit:QueueFull: Drop cannot be combined with Synchronous", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("LlmRouter:Audit:BatchSize:", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f == "LlmRouter:Audit:RetryMaxDelay: must not be shorter than RetryInitialDelay");
        Assert.Contains(exception.Failures, f => f == "LlmRouter:Audit:Contnet: unknown setting 'Contnet'");
        Assert.Equal(4, exception.Failures.Count());
    }

    [Fact]
    public async Task Audit_only_mode_needs_no_providers_or_models_and_is_validated_when_the_host_starts()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["LlmRouter:Audit:ContentMaxChars"] = "0" });
        builder.Services.AddLlmRouterAudit(builder.Configuration.GetSection("LlmRouter"));
        using IHost host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.StartsWith("LlmRouter:Audit:ContentMaxChars:", Assert.Single(exception.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_only_mode_and_the_router_are_not_registered_together()
    {
        var routed = new ServiceCollection();
        routed.AddLlmRouter(_ => { });
        Assert.Throws<InvalidOperationException>(() => routed.AddLlmRouterAudit(_ => { }));

        var auditOnly = new ServiceCollection();
        auditOnly.AddLlmRouterAudit(_ => { });
        Assert.Throws<InvalidOperationException>(() => auditOnly.AddLlmRouter(_ => { }));
    }

    [Fact]
    public async Task With_Enabled_false_a_registered_store_records_nothing()
    {
        var store = new InMemoryAuditStore();
        LlmRouterOptions options = new();
        options.Providers["local"] = Routers.Simulated();
        options.Models["fast"] = Routers.Model(("local", "sim-1"));
        options.Audit.Enabled = false;
        await using (LlmRouterClient router = Routers.Create(options, configure: b => b.Services.AddSingleton<IAuditStore>(store)))
        {
            await router.GetResponseAsync("Hello", Routers.For("fast"));
            Assert.Null(router.GetService(typeof(AuditChatClient)));
        }

        Assert.Empty(store.Records);
    }
}
