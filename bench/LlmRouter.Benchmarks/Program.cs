using BenchmarkDotNet.Running;

namespace LlmRouter.Benchmarks;

/// <summary>
/// LlmRouter's benchmarks. Run all of them, or pick with a filter:
/// <c>dotnet run -c Release --project bench/LlmRouter.Benchmarks -- --filter *TokenEstimate*</c>.
/// Results and how to read them: docs/benchmarks.md.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
