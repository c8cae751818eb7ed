using System.Globalization;
using System.Text.Json;
using LlmRouter.Postgres.Tests.Support;
using LlmRouter.Samples.Tests.Support;
using LlmRouter.Tests.Support;
using Npgsql;

namespace LlmRouter.Postgres.Tests.Grafana;

/// <summary>
/// The Grafana assets in <c>grafana/</c>: the provisioning files, and a dashboard whose every query runs — expanded as
/// Grafana expands it — against a real PostgreSQL audit log, as the read-only role, and shows what the audit query says.
/// </summary>
[Collection(PostgresCollection.Name)]
public class GrafanaDashboardTests(PostgresServer server)
{
    private const string PluginType = "grafana-postgresql-datasource";

    private static readonly string DashboardFile = Path.Combine(Repository.Root, "grafana", "dashboards", "llmrouter-audit.json");
    private static readonly string DataSourceFile = Path.Combine(Repository.Root, "grafana", "provisioning", "datasources", "llmrouter.yaml");
    private static readonly string ProviderFile = Path.Combine(Repository.Root, "grafana", "provisioning", "dashboards", "llmrouter.yaml");

    // Two whole UTC days, as Grafana's time picker sends an absolute range (the end is the last millisecond).
    private static readonly DateTimeOffset From = new(2026, 3, 28, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DaysEnd = new(2026, 3, 30, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = DaysEnd.AddMilliseconds(-1);

    /// <summary>The columns each panel's query returns, in order. A panel added to the dashboard is added here.</summary>
    private static readonly Dictionary<string, string[]> PanelColumns = new(StringComparer.Ordinal)
    {
        ["Spend"] = ["cost"],
        ["Requests"] = ["requests", "rejected", "failed"],
        ["Tokens"] = ["input", "cached_input", "cache_write", "output", "reasoning"],
        ["Rescued by a fallback"] = ["rescued"],
        ["Daily spend per client"] = ["time", "metric", "cost"],
        ["Daily spend per model"] = ["time", "metric", "cost"],
        ["Top clients"] = ["tenant", "key", "requests", "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens", "cost"],
        ["Requests, rejections and errors"] = ["time", "served", "rejected", "failed", "cancelled"],
        ["Rejections by reason per day"] = ["time", "metric", "requests"],
        ["Refusals and failures by reason"] = ["status", "reason", "error_class", "requests"],
        ["Latency p50 / p99"] = ["time", "p50", "p99", "ttft_p50", "ttft_p99"],
        ["Latency by model"] = ["model", "provider", "requests", "p50_ms", "p99_ms", "ttft_p50_ms", "ttft_p99_ms"],
        ["Fallbacks that rescued requests"] = ["from_model", "from_provider", "error_class", "to_model", "to_provider", "rescued"],
    };

    private static readonly string[] TimeTypes = ["numeric", "double precision", "bigint", "timestamp with time zone"];

    [Fact]
    public void The_provisioning_files_give_a_postgresql_data_source_with_a_fixed_uid_the_reader_role_and_no_secret()
    {
        IReadOnlyDictionary<string, string> source = ProvisioningYaml.Read(DataSourceFile);
        IReadOnlyDictionary<string, string> provider = ProvisioningYaml.Read(ProviderFile);
        string docs = File.ReadAllText(Path.Combine(Repository.Root, "docs", "dashboard.md"));

        Assert.Equal("1", source["apiVersion"]);
        Assert.Equal("llmrouter-audit", source["datasources[0].uid"]);
        Assert.Equal(PluginType, source["datasources[0].type"]);
        Assert.Equal(PostgresStoreOptions.DefaultReaderRole, source["datasources[0].user"]);
        foreach (string placeholder in new[] { "datasources[0].secureJsonData.password", "datasources[0].url", "datasources[0].jsonData.database" })
        {
            Assert.Matches(@"^\$\{[A-Z][A-Z0-9_]*\}$", source[placeholder]);
            Assert.Contains(source[placeholder][2..^1], docs, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(source, pair => pair.Key.EndsWith("password", StringComparison.OrdinalIgnoreCase) && !pair.Key.Contains(".secureJsonData.", StringComparison.Ordinal));
        Assert.Single(source, pair => pair.Key.EndsWith(".uid", StringComparison.Ordinal));

        Assert.Equal("1", provider["apiVersion"]);
        Assert.Equal("file", provider["providers[0].type"]);
        Assert.Contains(provider["providers[0].options.path"], docs, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dashboard_parses_and_reads_only_the_views_through_the_provisioned_data_source()
    {
        Dashboard dashboard = Dashboard.Load(DashboardFile);
        string uid = ProvisioningYaml.Read(DataSourceFile)["datasources[0].uid"];

        Assert.Equal("llmrouter-audit", dashboard.Uid);
        Assert.NotEmpty(dashboard.DataSources);
        Assert.All(dashboard.DataSources, d => Assert.Equal((PluginType, uid), d));
        Assert.Equal(PanelColumns.Keys.Order(StringComparer.Ordinal), dashboard.Panels.Select(p => p.Title).Order(StringComparer.Ordinal));
        Assert.Equal(["tenant", "key"], dashboard.Variables.Select(v => v.Name));
        foreach (string sql in dashboard.Panels.Select(p => p.Sql).Concat(dashboard.Variables.Select(v => v.Sql)))
        {
            Assert.Contains(PostgresAuditSchema.Views, view => sql.Contains(view, StringComparison.Ordinal));
            Assert.DoesNotContain("audit_records", sql, StringComparison.Ordinal);
        }

        Assert.All(dashboard.Panels, p => Assert.Contains("COALESCE(tenant, '') IN ($tenant) AND COALESCE(key_id, '') IN ($key)", p.Sql, StringComparison.Ordinal));

        Assert.All(dashboard.Panels, p => Assert.Equal(PanelColumns[p.Title][0] == "time" ? "time_series" : "table", p.Format));
    }

    [Fact]
    public async Task Every_query_runs_as_the_reader_role_as_grafana_expands_it_and_returns_its_columns()
    {
        Dashboard dashboard = Dashboard.Load(DashboardFile);
        (string database, _) = await WrittenAsync();
        await using NpgsqlConnection reader = await ReaderAsync(database);

        foreach (string? tenant in new[] { null, "acme", string.Empty })
        {
            GrafanaQuery query = await SelectAsync(reader, dashboard, tenant);
            foreach (Panel panel in dashboard.Panels)
            {
                SqlResult result = await SqlResult.QueryAsync(reader, query.Expand(panel.Sql));

                Assert.True(PanelColumns[panel.Title].SequenceEqual(result.Columns), $"{panel.Title}: ({string.Join(", ", result.Columns)})");
                Assert.True(result.Rows.Count > 0, $"{panel.Title} shows nothing for tenant '{tenant}'.");
                if (panel.Format == "time_series")
                {
                    Assert.Contains(result.Types[0], TimeTypes);
                    decimal[] times = result.Rows.Select(r => Convert.ToDecimal(r[0], CultureInfo.InvariantCulture)).ToArray();
                    Assert.Equal(times.Order(), times);
                    Assert.All(times, t => Assert.InRange(t, From.ToUnixTimeSeconds(), To.ToUnixTimeSeconds()));
                }
            }
        }

        var refused = await Assert.ThrowsAsync<PostgresException>(() => SqlResult.QueryAsync(reader, "SELECT request_content FROM audit_records"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task The_spend_panels_show_what_the_audit_query_says_for_the_same_records()
    {
        Dashboard dashboard = Dashboard.Load(DashboardFile);
        (string database, _) = await WrittenAsync();
        await using NpgsqlConnection reader = await ReaderAsync(database);
        await using var store = new PostgresAuditStore(database);

        foreach (string? tenant in new[] { null, "acme" })
        {
            Dictionary<string, SqlResult> panels = await RunAsync(reader, dashboard, tenant);
            Task<IReadOnlyList<AuditSummaryRow>> Summary(AuditGrouping by) =>
                store.SummarizeAsync(new AuditSummaryRequest { From = From, To = DaysEnd, GroupBy = by, Tenant = tenant });

            AuditSummaryRow total = Assert.Single(await Summary(AuditGrouping.None));
            Assert.Equal(total.Cost, Number(panels["Spend"], 0, "cost"));
            Assert.Equal(
                new[] { total.Tokens.InputTokens, total.Tokens.CachedInputTokens, total.Tokens.CacheWriteTokens, total.Tokens.OutputTokens, total.Tokens.ReasoningTokens },
                PanelColumns["Tokens"].Select(c => (long)Number(panels["Tokens"], 0, c)));

            IReadOnlyList<AuditSummaryRow> byStatus = await Summary(AuditGrouping.Status);
            Assert.Equal(total.Requests, Number(panels["Requests"], 0, "requests"));
            Assert.Equal(byStatus.Where(r => r.Status == RouteStatus.Rejected).Sum(r => r.Requests), Number(panels["Requests"], 0, "rejected"));
            Assert.Equal(byStatus.Where(r => r.Status == RouteStatus.Failed).Sum(r => r.Requests), Number(panels["Requests"], 0, "failed"));

            Assert.Equal(
                (await Summary(AuditGrouping.Key | AuditGrouping.Day)).ToDictionary(r => (r.Day!.Value, r.Key ?? "(no key)"), r => r.Cost),
                Series(panels["Daily spend per client"], "cost"));
            Assert.Equal(
                (await Summary(AuditGrouping.ServedModel | AuditGrouping.Day)).ToDictionary(r => (r.Day!.Value, r.ServedModel ?? "(not served)"), r => r.Cost),
                Series(panels["Daily spend per model"], "cost"));

            SqlResult top = panels["Top clients"];
            Assert.Equal(
                (await Summary(AuditGrouping.Tenant | AuditGrouping.Key))
                    .Select(r => $"{r.Tenant ?? "(no tenant)"} {r.Key ?? "(no key)"} {r.Requests} {r.Tokens.InputTokens} {r.Tokens.CachedInputTokens} {r.Tokens.CacheWriteTokens} {r.Tokens.OutputTokens} {r.Tokens.ReasoningTokens} {r.Cost.ToString(CultureInfo.InvariantCulture)}")
                    .Order(StringComparer.Ordinal),
                top.Rows.Select(row => string.Join(' ', row.Select(v => v is decimal d ? AuditText.Normalize(d).ToString(CultureInfo.InvariantCulture) : Convert.ToString(v, CultureInfo.InvariantCulture)))).Order(StringComparer.Ordinal));
            decimal[] costs = top.Rows.Select(row => (decimal)top.Value(row, "cost")!).ToArray();
            Assert.Equal(costs.OrderDescending(), costs);
        }
    }

    [Fact]
    public async Task The_traffic_latency_and_fallback_panels_count_the_records_written()
    {
        Dashboard dashboard = Dashboard.Load(DashboardFile);
        (string database, List<AuditRecord> records) = await WrittenAsync();
        await using NpgsqlConnection reader = await ReaderAsync(database);

        foreach (string? tenant in new[] { null, "acme" })
        {
            Dictionary<string, SqlResult> panels = await RunAsync(reader, dashboard, tenant);
            List<AuditRecord> inRange = records.Where(r => r.StartedAt >= From && r.StartedAt <= To && (tenant is null || r.Tenant == tenant)).ToList();
            List<AuditRecord> inDays = records.Where(r => r.StartedAt >= From && r.StartedAt < DaysEnd && (tenant is null || r.Tenant == tenant)).ToList();

            SqlResult traffic = panels["Requests, rejections and errors"];
            foreach (RouteStatus status in new[] { RouteStatus.Served, RouteStatus.Rejected, RouteStatus.Failed, RouteStatus.Cancelled })
            {
                string column = AuditText.Status(status);
                Assert.Equal(inRange.Count(r => r.Status == status), traffic.Rows.Sum(row => (long)traffic.Value(row, column)!));
            }

            Assert.Equal(
                inDays.Where(r => r.Status == RouteStatus.Rejected).GroupBy(r => (DateOnly.FromDateTime(r.StartedAt.UtcDateTime), r.ReasonCode ?? "(none)")).ToDictionary(g => g.Key, g => (decimal)g.Count()),
                Series(panels["Rejections by reason per day"], "requests"));
            Assert.Equal(
                inDays.Where(r => r.Status != RouteStatus.Served).GroupBy(r => $"{AuditText.Status(r.Status)} {r.ReasonCode ?? "(none)"} {AuditText.Error(r.ErrorClass)} ").ToDictionary(g => g.Key, g => (decimal)g.Count()),
                panels["Refusals and failures by reason"].Rows.ToDictionary(row => $"{row[0]} {row[1]} {row[2]} ", row => (decimal)row[3]!));

            SqlResult latency = panels["Latency by model"];
            foreach (IGrouping<(string, string), AuditRecord> model in inRange.Where(r => r.Status == RouteStatus.Served).GroupBy(r => (r.ServedModel ?? string.Empty, r.Provider ?? string.Empty)))
            {
                object?[] row = Assert.Single(latency.Rows, row => ((string)row[0]!, (string)row[1]!) == model.Key);
                List<double> durations = model.Select(r => AuditText.ToMicroseconds(r.Duration) / 1000.0).Order().ToList();
                Assert.Equal(durations.Count, (long)latency.Value(row, "requests")!);
                Assert.Equal(Percentile(durations, 0.5), (double)latency.Value(row, "p50_ms")!, 6);
                Assert.Equal(Percentile(durations, 0.99), (double)latency.Value(row, "p99_ms")!, 6);
            }

            static string FromTo(AuditRecord r, AuditAttempt failed) => $"{failed.Model} {failed.Provider} {AuditText.Error(failed.ErrorClass)} {r.ServedModel} {r.Provider}";
            Dictionary<string, long> rescued = inRange
                .Where(r => r.Status == RouteStatus.Served && r.Attempts.Any(a => a.Outcome == AttemptOutcome.Failed))
                .GroupBy(r => FromTo(r, r.Attempts.First(a => a.Outcome == AttemptOutcome.Failed)))
                .ToDictionary(g => g.Key, g => (long)g.Count());
            Assert.NotEmpty(rescued);
            Assert.Equal(rescued.Values.Sum(), (long)panels["Rescued by a fallback"].Rows[0][0]!);
            Assert.Equal(rescued, panels["Fallbacks that rescued requests"].Rows.ToDictionary(row => string.Join(' ', row[..5]), row => (long)row[5]!));
        }
    }

    private static decimal Number(SqlResult result, int row, string column) => Convert.ToDecimal(result.Value(result.Rows[row], column), CultureInfo.InvariantCulture);

    /// <summary>A time series panel's (UTC day, series name) → value, from its long-format rows.</summary>
    private static Dictionary<(DateOnly, string), decimal> Series(SqlResult result, string column) => result.Rows.ToDictionary(
        row => (DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds((long)Convert.ToDecimal(row[0], CultureInfo.InvariantCulture)).UtcDateTime), (string)result.Value(row, "metric")!),
        row => Convert.ToDecimal(result.Value(row, column), CultureInfo.InvariantCulture));

    /// <summary>PostgreSQL's percentile_cont: linear interpolation between the two nearest of the sorted values.</summary>
    private static double Percentile(List<double> sorted, double fraction)
    {
        double position = fraction * (sorted.Count - 1);
        int lower = (int)Math.Floor(position);
        int upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    /// <summary>Chooses the dashboard's variables as a user would: a tenant (null for All), then All keys of that choice, each from its own query.</summary>
    private static async Task<GrafanaQuery> SelectAsync(NpgsqlConnection connection, Dashboard dashboard, string? tenant)
    {
        var query = new GrafanaQuery(From, To, "1h");
        foreach ((string name, string sql) in dashboard.Variables)
        {
            SqlResult options = await SqlResult.QueryAsync(connection, query.Expand(sql));
            Assert.Equal(["__value", "__text"], options.Columns);
            List<string> values = options.Rows.Select(r => (string)r[0]!).ToList();
            Assert.NotEmpty(values);
            query.Select(name, name == "tenant" && tenant is not null ? [tenant] : values);
        }

        return query;
    }

    private static async Task<Dictionary<string, SqlResult>> RunAsync(NpgsqlConnection connection, Dashboard dashboard, string? tenant)
    {
        GrafanaQuery query = await SelectAsync(connection, dashboard, tenant);
        var results = new Dictionary<string, SqlResult>(StringComparer.Ordinal);
        foreach (Panel panel in dashboard.Panels)
        {
            results[panel.Title] = await SqlResult.QueryAsync(connection, query.Expand(panel.Sql));
        }

        return results;
    }

    /// <summary>A connection that reads as the read-only role, in a session time zone far from UTC (the views must not care).</summary>
    private static async Task<NpgsqlConnection> ReaderAsync(string database)
    {
        var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SET ROLE {PostgresStoreOptions.DefaultReaderRole}; SET TIME ZONE 'Pacific/Kiritimati'", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>
    /// An audit log written through the store: three days of mixed requests, requests rescued by fallbacks in the range
    /// (three clients, one without a key or tenant) and before it, and a record with content far outside it.
    /// </summary>
    private async Task<(string Database, List<AuditRecord> Records)> WrittenAsync()
    {
        List<AuditRecord> records =
        [
            .. AuditSamples.Mixed(500),
            .. FallbackSamples.Rescued(6, From.AddMinutes(30)),
            .. FallbackSamples.Rescued(3, From.AddHours(34), from: "summarizer", to: "assistant", key: "client-batch", tenant: "globex"),
            .. FallbackSamples.Rescued(2, From.AddHours(-2)),
            .. FallbackSamples.Rescued(1, From.AddHours(20), key: null, tenant: null),
            AuditSamples.Full(),
        ];
        string database = await server.CreateDatabaseAsync("grafana");
        await using var store = new PostgresAuditStore(database);
        await AuditSamples.WriteAsync(store, records);
        return (database, records);
    }

    private sealed record Panel(string Title, string Format, string Sql);

    /// <summary>The parts of the dashboard JSON the specs read: its panels' queries, its variables' queries and every data source reference.</summary>
    private sealed record Dashboard(string Uid, IReadOnlyList<Panel> Panels, IReadOnlyList<(string Name, string Sql)> Variables, IReadOnlyList<(string Type, string Uid)> DataSources)
    {
        public static Dashboard Load(string path)
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = document.RootElement;
            var panels = new List<Panel>();
            var sources = new List<(string, string)>();
            AddPanels(root.GetProperty("panels"), panels, sources);
            var variables = new List<(string, string)>();
            foreach (JsonElement variable in root.GetProperty("templating").GetProperty("list").EnumerateArray())
            {
                sources.Add(Source(variable));
                Assert.True(variable.GetProperty("multi").GetBoolean() && variable.GetProperty("includeAll").GetBoolean());
                variables.Add((variable.GetProperty("name").GetString()!, variable.GetProperty("query").GetString()!));
            }

            return new Dashboard(root.GetProperty("uid").GetString()!, panels, variables, sources);
        }

        private static void AddPanels(JsonElement list, List<Panel> panels, List<(string, string)> sources)
        {
            foreach (JsonElement panel in list.EnumerateArray())
            {
                if (panel.TryGetProperty("panels", out JsonElement nested))
                {
                    AddPanels(nested, panels, sources);
                }

                if (!panel.TryGetProperty("targets", out JsonElement targets))
                {
                    continue;
                }

                sources.Add(Source(panel));
                JsonElement target = Assert.Single(targets.EnumerateArray());
                sources.Add(Source(target));
                Assert.True(target.GetProperty("rawQuery").GetBoolean());
                panels.Add(new Panel(panel.GetProperty("title").GetString()!, target.GetProperty("format").GetString()!, target.GetProperty("rawSql").GetString()!));
            }
        }

        private static (string, string) Source(JsonElement element)
        {
            JsonElement source = element.GetProperty("datasource");
            return (source.GetProperty("type").GetString()!, source.GetProperty("uid").GetString()!);
        }
    }
}
