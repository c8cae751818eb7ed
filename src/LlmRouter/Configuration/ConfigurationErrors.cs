namespace LlmRouter;

/// <summary>Collects configuration errors, each prefixed with the configuration path it concerns.</summary>
internal sealed class ConfigurationErrors
{
    private readonly List<string> _errors = [];

    public ConfigurationErrors(string rootPath) => RootPath = rootPath;

    /// <summary>Gets the path of the LlmRouter section, for example <c>LlmRouter</c>.</summary>
    public string RootPath { get; }

    public IReadOnlyList<string> Errors => _errors;

    public int Count => _errors.Count;

    public void Add(string path, string message) => _errors.Add(path + ": " + message);

    public void AddRange(IEnumerable<string> errors) => _errors.AddRange(errors);

    public string Path(string relative) => RootPath.Length == 0 ? relative : RootPath + ":" + relative;
}
