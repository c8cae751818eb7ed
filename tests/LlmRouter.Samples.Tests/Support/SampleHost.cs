using System.Net.Http.Headers;
using LlmRouter;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WebApiSample;

namespace LlmRouter.Samples.Tests.Support;

/// <summary>
/// The WebApi sample, running in this process on a free loopback port with its own <c>appsettings.json</c> — plus, per
/// test, configuration overrides and providers registered in code.
/// </summary>
internal sealed class SampleHost : IAsyncDisposable
{
    /// <summary>The demo token of the <c>acme-chat</c> client (key <c>client-chat</c>), as docs/endpoint.md gives it.</summary>
    public const string AcmeToken = "sk-demo-acme-chat";

    /// <summary>The demo token of the <c>trial-app</c> client (key <c>trial</c>).</summary>
    public const string TrialToken = "sk-demo-trial";

    private readonly WebApplication _app;

    private SampleHost(WebApplication app, Uri baseAddress, string auditDatabase)
    {
        _app = app;
        BaseAddress = baseAddress;
        AuditDatabase = auditDatabase;
    }

    /// <summary>Gets the SQLite audit file of this host: its own, in the temporary directory, deleted when the host is.</summary>
    public string AuditDatabase { get; }

    /// <summary>Gets <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Gets every log line the sample and LlmRouter wrote, at every level.</summary>
    public FakeLogCollector Logs => _app.Services.GetFakeLogCollector();

    public static async Task<SampleHost> StartAsync(Dictionary<string, string?>? settings = null, Action<LlmRouterBuilder>? router = null, string? auditDatabase = null)
    {
        auditDatabase ??= Path.Combine(Path.GetTempPath(), $"llmrouter-webapi-spec-{Guid.NewGuid():N}.db");
        WebApplication app = WebApiApp.Build(["--urls", "http://127.0.0.1:0", $"--{WebApiApp.AuditDatabaseSetting}={auditDatabase}"], (builder, llmRouter) =>
        {
            // Immune to the machine it runs on: no OPENAI_API_KEY, no LlmRouter__... variables.
            IList<IConfigurationSource> sources = ((IConfigurationBuilder)builder.Configuration).Sources;
            for (int i = sources.Count - 1; i >= 0; i--)
            {
                if (sources[i] is EnvironmentVariablesConfigurationSource)
                {
                    sources.RemoveAt(i);
                }
            }

            builder.Configuration.AddInMemoryCollection(settings ?? []);
            builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddFakeLogging();
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
            router?.Invoke(llmRouter);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            DeleteDatabase(auditDatabase);
            throw;
        }

        return new SampleHost(app, new Uri(app.Urls.Single().TrimEnd('/') + "/"), auditDatabase);
    }

    /// <summary>Creates a client that sends a bearer token, or none.</summary>
    public HttpClient Client(string? token = AcmeToken)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        DeleteDatabase(AuditDatabase);
    }

    internal static void DeleteDatabase(string path)
    {
        // Pooled SQLite connections keep the file open until the pool lets go of them.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
    }
}
