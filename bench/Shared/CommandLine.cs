using System.Globalization;

namespace LlmRouter.Bench;

/// <summary>The options of a bench program: <c>--name value</c> pairs and <c>--flag</c> switches, each read once with its default.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="CommandLine"/> class.</summary>
    /// <param name="args">The program's arguments: an option followed by another option (or by nothing) is a switch.</param>
    /// <exception cref="FormatException">An argument is not an option.</exception>
    public CommandLine(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new FormatException($"Unexpected argument '{name}'.");
            }

            _options[name] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
        }
    }

    /// <summary>Gets whether a switch was given.</summary>
    /// <exception cref="FormatException">The switch was given a value.</exception>
    public bool Flag(string name)
    {
        _read.Add(name);
        return _options.TryGetValue(name, out string? value) && (value is null ? true : throw new FormatException($"{name} takes no value."));
    }

    /// <summary>Gets an option's text, or the default.</summary>
    /// <exception cref="FormatException">The option was given without a value.</exception>
    public string? Text(string name, string? defaultValue = null)
    {
        _read.Add(name);
        return _options.TryGetValue(name, out string? value) ? value ?? throw new FormatException($"{name} needs a value.") : defaultValue;
    }

    /// <summary>Gets the path of a file the run creates, or <see langword="null"/>; the file must not exist yet.</summary>
    /// <exception cref="FormatException">The file exists.</exception>
    public string? NewFile(string name) =>
        Text(name) is { } path ? !File.Exists(path) ? path : throw new FormatException($"{name} '{path}' exists: give a new file.") : null;

    /// <summary>Gets a whole number, zero or more.</summary>
    public long Count(string name, long defaultValue) =>
        Text(name) is { } text ? long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= 0 ? value : throw Invalid(name, text) : defaultValue;

    /// <summary>Gets a duration given in seconds (fractions allowed).</summary>
    public TimeSpan Seconds(string name, double defaultSeconds) =>
        TimeSpan.FromSeconds(Text(name) is { } text
            ? double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) ? value : throw Invalid(name, text)
            : defaultSeconds);

    /// <summary>Gets a comma-separated list of positive whole numbers.</summary>
    public int[] Counts(string name, int[] defaultValues)
    {
        if (Text(name) is not { } text)
        {
            return defaultValues;
        }

        string[] parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int[] values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            values[i] = int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : throw Invalid(name, text);
        }

        return values.Length > 0 ? values : throw Invalid(name, text);
    }

    /// <summary>Fails when an option was given that the program never read: a typo must not pass as a default.</summary>
    /// <exception cref="FormatException">An option is unknown.</exception>
    public void RejectUnknown()
    {
        foreach (string name in _options.Keys)
        {
            if (!_read.Contains(name))
            {
                throw new FormatException($"Unknown option {name}.");
            }
        }
    }

    private static FormatException Invalid(string name, string text) => new($"{name} '{text}' is not valid.");
}
