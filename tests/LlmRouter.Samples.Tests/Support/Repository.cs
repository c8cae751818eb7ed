using System.Reflection;

namespace LlmRouter.Samples.Tests.Support;

/// <summary>Where this test run's sources and build outputs are.</summary>
internal static class Repository
{
    /// <summary>Gets the repository's root: the directory holding <c>LlmRouter.sln</c>, above the test's output.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Gets the build configuration of this test run (<c>Debug</c>, <c>Release</c>), which the sample was built in too.</summary>
    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LlmRouter.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No LlmRouter.sln above {AppContext.BaseDirectory}.");
    }
}
