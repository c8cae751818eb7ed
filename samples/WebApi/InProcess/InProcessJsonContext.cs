using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebApiSample.InProcess;

/// <summary>The source-generated JSON metadata of the in-process endpoints (camelCase, as ASP.NET Core's default).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SummarizeRequest))]
[JsonSerializable(typeof(SummaryResult))]
[JsonSerializable(typeof(SummaryProblem))]
[JsonSerializable(typeof(AuditRecordView))]
[JsonSerializable(typeof(List<SpendRow>))]
[JsonSerializable(typeof(List<BudgetView>))]
internal sealed partial class InProcessJsonContext : JsonSerializerContext;
