using LlmRouter;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration.Memory;
using WebApiSample.InProcess;
using WebApiSample.OpenAIEndpoint;

namespace WebApiSample;

/// <summary>
/// The sample application: LlmRouter configured from <c>appsettings.json</c>, an OpenAI-compatible endpoint under
/// <c>/v1</c> for callers in any language, and the application's own .NET endpoints under <c>/internal</c> — all on one
/// in-process router, so they share keys, rate limits, budgets and the audit log.
/// </summary>
internal static class WebApiApp
{
    /// <summary>The setting naming the SQLite audit file; a relative path is under the application's directory.</summary>
    public const string AuditDatabaseSetting = "AuditDatabase";

    /// <summary>The setting (usually the environment variable) whose OpenAI API key turns on the OpenAI shortcut.</summary>
    public const string OpenAIApiKeySetting = "OPENAI_API_KEY";

    /// <summary>Builds the application.</summary>
    /// <param name="args">Command-line arguments (<c>--urls</c>, configuration overrides such as <c>--LlmRouter:Routing:Strategy=LowestCost</c>).</param>
    /// <param name="configure">Changes to the builder and the router before the application is built — tests add
    /// configuration or providers registered in code here.</param>
    /// <returns>The application, not yet started.</returns>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder, LlmRouterBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        LlmRouterBuilder router = builder.Services.AddLlmRouter(builder.Configuration.GetSection(LlmRouterOptions.SectionName))
            .AddSqliteStores(new SqliteConnectionStringBuilder { DataSource = AuditDatabase(builder) }.ToString());
        builder.Services.AddOpenAIEndpoint(builder.Configuration);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, InProcessJsonContext.Default));
        configure?.Invoke(builder, router);

        // After the changes above, so that a host that took the environment out of its configuration (the tests') gets no
        // shortcut from it; the router reads its section only when it starts.
        AddOpenAIShortcut(builder.Configuration);

        WebApplication app = builder.Build();
        app.MapOpenAIEndpoint();
        app.MapInProcessEndpoints();
        return app;
    }

    /// <summary>Gets the audit file's path: <c>AuditDatabase</c>, resolved against the content root, so it does not depend on where the app is started from.</summary>
    private static string AuditDatabase(WebApplicationBuilder builder) =>
        Path.GetFullPath(builder.Configuration[AuditDatabaseSetting] ?? "llmrouter-webapi-audit.db", builder.Environment.ContentRootPath);

    /// <summary>
    /// With <c>OPENAI_API_KEY</c> set (in the environment, or as <c>--OPENAI_API_KEY=...</c>), adds OpenAI as a provider in
    /// the US and the alias <c>gpt-4o-mini</c> served by it — a shortcut for trying a real provider; any provider can be
    /// configured under <c>LlmRouter:Providers</c> instead.
    /// </summary>
    /// <remarks>
    /// The shortcut's settings come right after <c>appsettings.json</c>: environment variables, command-line arguments and
    /// anything added later override any of them (<c>--LlmRouter:Providers:openai:Region=eu</c>).
    /// </remarks>
    private static void AddOpenAIShortcut(ConfigurationManager configuration)
    {
        string? apiKey = configuration[OpenAIApiKeySetting];
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            return;
        }

        var shortcut = new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["LlmRouter:Providers:openai:Kind"] = "OpenAI",
                ["LlmRouter:Providers:openai:Region"] = "us",
                ["LlmRouter:Providers:openai:ApiKey"] = apiKey,
                ["LlmRouter:Models:gpt-4o-mini:Deployments:0:Provider"] = "openai",
                ["LlmRouter:Models:gpt-4o-mini:Deployments:0:Model"] = "gpt-4o-mini",
                ["LlmRouter:Models:gpt-4o-mini:Fallbacks:0"] = "assistant",
            },
        };

        IList<IConfigurationSource> sources = ((IConfigurationBuilder)configuration).Sources;
        int afterFiles = 0;
        for (int i = 0; i < sources.Count; i++)
        {
            if (sources[i] is FileConfigurationSource)
            {
                afterFiles = i + 1;
            }
        }

        sources.Insert(afterFiles, shortcut);
    }
}
