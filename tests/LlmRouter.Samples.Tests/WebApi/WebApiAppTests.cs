using System.Text.Json;
using LlmRouter.Samples.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebApiSample;

namespace LlmRouter.Samples.Tests.WebApi;

/// <summary>How the sample is configured: the OpenAI shortcut, what overrides it, and a test host the machine cannot change.</summary>
public class WebApiAppTests
{
    [Fact]
    public async Task The_OpenAI_shortcut_yields_to_command_line_arguments()
    {
        string auditDatabase = Path.Combine(Path.GetTempPath(), $"llmrouter-webapi-spec-{Guid.NewGuid():N}.db");
        WebApplication app = WebApiApp.Build(
        [
            "--OPENAI_API_KEY=sk-test-shortcut-0123456789",
            "--LlmRouter:Providers:openai:Region=ch",
            "--LlmRouter:Models:gpt-4o-mini:Fallbacks:0=assistant-ch",
            $"--{WebApiApp.AuditDatabaseSetting}={auditDatabase}",
        ]);
        try
        {
            LlmRouterOptions options = app.Services.GetRequiredService<IOptions<LlmRouterOptions>>().Value;

            ProviderOptions openai = options.Providers["openai"];
            Assert.Equal((ProviderKind.OpenAI, "ch", "sk-test-shortcut-0123456789"), (openai.Kind, openai.Region, openai.ApiKey));
            Assert.Equal(["assistant-ch"], options.Models["gpt-4o-mini"].Fallbacks);
            Assert.Equal("gpt-4o-mini", options.Models["gpt-4o-mini"].Deployments[0].Model);
        }
        finally
        {
            await app.DisposeAsync();
            SampleHost.DeleteDatabase(auditDatabase);
        }
    }
}

/// <summary>Specs that change this process's environment variables, so they run while no other spec does.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>The in-process test host is immune to the machine's environment.</summary>
[Collection(nameof(ProcessEnvironment))]
public class WebApiAppEnvironmentTests
{
    [Fact]
    public async Task The_test_host_ignores_an_OpenAI_key_and_LlmRouter_settings_in_the_environment()
    {
        string? apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        string? models = Environment.GetEnvironmentVariable("LlmRouter__Keys__client-chat__Models__2");
        Environment.SetEnvironmentVariable("OPENAI_API_KEY", "sk-test-environment-0123456789");
        Environment.SetEnvironmentVariable("LlmRouter__Keys__client-chat__Models__2", "summarizer");
        try
        {
            await using SampleHost host = await SampleHost.StartAsync(new Dictionary<string, string?>().Client("ops", "back-office", "sk-test-ops"));
            using HttpClient acme = host.Client();
            using HttpClient ops = host.Client("sk-test-ops");

            Assert.Equal(["assistant", "assistant-ch"], Ids(EventStream.Json(await acme.GetStringAsync("v1/models"))));
            Assert.Equal(["assistant", "assistant-ch", "summarizer"], Ids(EventStream.Json(await ops.GetStringAsync("v1/models"))));
            Assert.DoesNotContain("openai", host.Services.GetRequiredService<IOptions<LlmRouterOptions>>().Value.Providers.Keys);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OPENAI_API_KEY", apiKey);
            Environment.SetEnvironmentVariable("LlmRouter__Keys__client-chat__Models__2", models);
        }
    }

    private static IEnumerable<string?> Ids(JsonElement list) => list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString());
}
