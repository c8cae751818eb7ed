// LlmRouter behind an OpenAI-compatible endpoint: any OpenAI client — Python, Node, curl — points its base URL at
// http://localhost:5080/v1 and gets LlmRouter's routing, whitelists, rate limits, budgets and audit log, while the
// application's own .NET code calls the same router in process (POST /internal/summarize). Runs on Simulated providers
// with no API key: dotnet run --project samples/WebApi
using WebApiSample;

await WebApiApp.Build(args).RunAsync();
