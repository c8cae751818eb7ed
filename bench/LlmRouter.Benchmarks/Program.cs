using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;

namespace LlmRouter.Benchmarks;

/// <summary>
/// LlmRouter's benchmarks. Run all of them, or pick with a filter:
/// <c>dotnet run -c Release --project bench/LlmRouter.Benchmarks -- --filter *TokenEstimate*</c>.
/// Results and how to read them: docs/benchmarks.md.
/// </summary>
/// <remarks>
/// Without a PostgreSQL server (<see cref="BenchPostgres"/>) the PostgreSQL cases are left out of the run, with a
/// message, so that no row in the results stands for a measurement that was not made.
/// </remarks>
public static class Program
{
    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance;
        if (!BenchPostgres.IsAvailable)
        {
            Console.WriteLine(BenchPostgres.Missing);
            config = ManualConfig.Create(config).AddFilter(new SimpleFilter(benchmark => !BenchPostgres.Needs(benchmark)));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
