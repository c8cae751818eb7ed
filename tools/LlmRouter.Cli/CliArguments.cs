namespace LlmRouter.Cli;

/// <summary>A command line: the command, then <c>--name value</c> (or <c>--name=value</c>) options and <c>--flag</c>s, each at most once.</summary>
internal sealed class CliArguments
{
    private static readonly System.Buffers.SearchValues<char> SecretLike = System.Buffers.SearchValues.Create("=;:@/\\");
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private CliArguments(string command) => Command = command;

    public string Command { get; }

    /// <summary>Parses the arguments after the command; <paramref name="flags"/> take no value.</summary>
    public static CliArguments Parse(string command, ReadOnlySpan<string> arguments, IReadOnlySet<string> flags)
    {
        var parsed = new CliArguments(command);
        for (int i = 0; i < arguments.Length; i++)
        {
            string argument = arguments[i];
            if (!argument.StartsWith("--", StringComparison.Ordinal) || argument.Length == 2)
            {
                throw new CliUsageException(Shown(argument) is { } shown
                    ? $"'{shown}' is not an option of '{command}': options start with --."
                    : $"an argument of '{command}' is not an option (options start with --); it is not repeated here in case it holds a secret.");
            }

            string name = argument;
            string? value = null;
            int equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = argument[..equals];
                value = argument[(equals + 1)..];
            }

            if (flags.Contains(name))
            {
                if (value is not null)
                {
                    throw new CliUsageException($"{name} takes no value.");
                }
            }
            else if (value is null)
            {
                if (i + 1 >= arguments.Length || arguments[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new CliUsageException($"{name} needs a value.");
                }

                value = arguments[++i];
            }

            if (!parsed._options.TryAdd(name, value))
            {
                throw new CliUsageException($"{name} is given twice.");
            }
        }

        return parsed;
    }

    public string? Value(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out string? value) ? value : null;
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    /// <summary>Refuses options the command did not read.</summary>
    public void RejectUnknown()
    {
        foreach (string name in _options.Keys)
        {
            if (!_used.Contains(name))
            {
                throw new CliUsageException($"'{Shown(name) ?? "an option"}' is not an option of '{Command}'.");
            }
        }
    }

    /// <summary>An argument as an error message may show it, or <see langword="null"/> when it might be a connection string or a secret pasted in the wrong place.</summary>
    private static string? Shown(string argument) =>
        argument.Length <= 40 && argument.AsSpan().IndexOfAny(SecretLike) < 0 ? argument : null;
}
