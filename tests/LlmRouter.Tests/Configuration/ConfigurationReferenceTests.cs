using System.Collections;
using System.Globalization;
using System.Reflection;
using LlmRouter.Postgres;

namespace LlmRouter.Tests.Configuration;

/// <summary>
/// docs/configuration.md is kept true: every setting its tables name is a property of the options type it documents,
/// every default it states is the value a new options object holds, and no setting of a documented type is left out.
/// </summary>
/// <remarks>
/// A table is a markdown table whose header starts with <c>| Setting</c>; it is matched to its options type by its first
/// setting. A default in backticks is a value (<c>[]</c> and <c>{}</c> an empty collection) unless it names another
/// setting (<c>`InputPerMillion`</c>, <c>`Routing:Strategy`</c>: inherited); a default in words (<c>none</c>,
/// <c>—</c>, <c>the tenant's</c>, <c>catalog's</c>, <c>SDK default for …</c>) means the property is left unset.
/// </remarks>
public sealed class ConfigurationReferenceTests
{
    /// <summary>The documented tables, by their first setting.</summary>
    private static readonly Dictionary<string, Type> Tables = new(StringComparer.Ordinal)
    {
        ["Kind"] = typeof(ProviderOptions),
        ["Latency"] = typeof(ProviderOptions),
        ["Deployments"] = typeof(ModelOptions),
        ["Provider"] = typeof(DeploymentOptions),
        ["Strategy"] = typeof(RoutingOptions),
        ["Tenant"] = typeof(KeyOptions),
        ["RequestsPerMinute"] = typeof(RateLimitOptions),
        ["Default"] = typeof(PiiPolicyOptions),
        ["InputPerMillion"] = typeof(ModelPriceOptions),
        ["Strict"] = typeof(PricingOptions),
        ["Limit"] = typeof(BudgetOptions),
        ["TimeZone"] = typeof(BudgetingOptions),
        ["Enabled"] = typeof(AuditOptions),
        ["ConnectionString"] = typeof(PostgresStoreOptions),
        ["KeyAttributes"] = typeof(TelemetryOptions),
    };

    [Fact]
    public void Every_documented_table_is_one_of_the_options_types()
    {
        List<DocumentedTable> tables = Read();

        Assert.Equal(Tables.Keys.Order(StringComparer.Ordinal), tables.Select(t => t.Rows[0].Setting).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_documented_setting_is_a_settable_property_with_the_documented_default()
    {
        var wrong = new List<string>();
        foreach (DocumentedTable table in Read())
        {
            Type type = Tables[table.Rows[0].Setting];
            object defaults = Activator.CreateInstance(type)!;
            foreach ((string setting, string documented) in table.Rows)
            {
                PropertyInfo? property = type.GetProperty(setting, BindingFlags.Public | BindingFlags.Instance);
                if (property is null || property.SetMethod is not { IsPublic: true } && !IsCollection(property.PropertyType))
                {
                    wrong.Add($"line {table.Line}: {type.Name}.{setting} is not a settable property");
                    continue;
                }

                object? actual = property.GetValue(defaults);
                if (!Matches(documented, actual, type))
                {
                    wrong.Add($"line {table.Line}: {type.Name}.{setting} is documented as {documented} but is {Describe(actual)}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Every_setting_of_a_documented_options_type_is_in_its_table()
    {
        var documented = new HashSet<(Type, string)>();
        foreach (DocumentedTable table in Read())
        {
            foreach ((string setting, _) in table.Rows)
            {
                documented.Add((Tables[table.Rows[0].Setting], setting));
            }
        }

        var missing = new List<string>();
        foreach (Type type in Tables.Values.Distinct())
        {
            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if ((property.SetMethod is { IsPublic: true } || IsCollection(property.PropertyType)) && !documented.Contains((type, property.Name)))
                {
                    missing.Add($"{type.Name}.{property.Name}");
                }
            }
        }

        Assert.True(missing.Count == 0, "Not in docs/configuration.md: " + string.Join(", ", missing));
    }

    private static bool Matches(string documented, object? actual, Type type)
    {
        if (!documented.StartsWith('`') || documented.IndexOf('`', 1) != documented.Length - 1)
        {
            // In words: not set (null, empty, or the type's zero value for a required number).
            return actual is null || actual is string { Length: 0 } || actual is IEnumerable and not string && IsEmpty((IEnumerable)actual)
                || (actual.GetType().IsValueType && actual.Equals(Activator.CreateInstance(actual.GetType())));
        }

        string value = documented[1..^1];
        if (type.GetProperty(value) is not null || value.Contains(':', StringComparison.Ordinal) && actual is not TimeSpan)
        {
            return actual is null; // Inherits another setting.
        }

        return actual switch
        {
            null => false,
            string text => text == value,
            bool flag => value == (flag ? "true" : "false"),
            TimeSpan time => TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out TimeSpan parsed) && parsed == time,
            Enum choice => choice.ToString() == value,
            int or long or double or decimal => decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal number)
                && number == Convert.ToDecimal(actual, CultureInfo.InvariantCulture),
            IEnumerable items => value is "[]" or "{}" && IsEmpty(items),
            _ => false,
        };
    }

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    private static bool IsEmpty(IEnumerable items)
    {
        IEnumerator enumerator = items.GetEnumerator();
        return !enumerator.MoveNext();
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        IEnumerable items and not string => IsEmpty(items) ? "empty" : "not empty",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static List<DocumentedTable> Read()
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "configuration.md"));
        var tables = new List<DocumentedTable>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("| Setting", StringComparison.Ordinal))
            {
                continue;
            }

            var rows = new List<(string Setting, string Default)>();
            for (int j = i + 2; j < lines.Length && lines[j].StartsWith('|'); j++)
            {
                string[] cells = lines[j].Split('|');
                rows.Add((cells[1].Trim().Trim('`'), cells[2].Trim()));
            }

            tables.Add(new DocumentedTable(i + 1, rows));
        }

        Assert.NotEmpty(tables);
        return tables;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LlmRouter.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (LlmRouter.sln) was not found above " + AppContext.BaseDirectory);
    }

    private sealed record DocumentedTable(int Line, List<(string Setting, string Default)> Rows);
}
