using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmRouter.Postgres.Tests.Support;

/// <summary>
/// Expands a dashboard's SQL as Grafana does before PostgreSQL sees it: first the template variables (Grafana's browser
/// side: the SQL data sources' <c>interpolateVariable</c>), then the PostgreSQL data source's macros (Grafana's server
/// side: <c>pkg/tsdb/grafana-postgresql-datasource/macros.go</c>), for one time range.
/// </summary>
internal sealed partial class GrafanaQuery(DateTimeOffset from, DateTimeOffset to, string interval)
{
    private readonly Dictionary<string, (IReadOnlyList<string> Values, bool Multi)> _variables = new(StringComparer.Ordinal);

    /// <summary>Selects values of a variable that is multi-value or has "All" (what the dashboard's variables are): each is quoted.</summary>
    /// <remarks>"All" without a custom all value is every value the variable's query returned, which is what to pass.</remarks>
    public GrafanaQuery Select(string name, IReadOnlyList<string> values)
    {
        _variables[name] = (values, true);
        return this;
    }

    public string Expand(string sql) => Macros(Variables(sql));

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Grafana's time format in macros: Go's RFC 3339 with nanoseconds, trailing zeros dropped, in UTC.</summary>
    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + "Z";

    /// <summary>Grafana's interval syntax (gtime.ParseInterval), in seconds.</summary>
    private static double Seconds(string interval)
    {
        Match match = IntervalPattern().Match(interval.Trim('\'', ' '));
        if (!match.Success)
        {
            throw new FormatException($"Grafana cannot parse the interval {interval}.");
        }

        double count = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return count * match.Groups[2].Value switch
        {
            "ms" => 0.001,
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86400,
            "w" => 7 * 86400,
            "M" => 30 * 86400,
            _ => 365 * 86400,
        };
    }

    [GeneratedRegex(@"\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^\}]+))?(?::([^\}]+))?\}")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"\$([_a-zA-Z0-9]+)\(([^\)]*)\)")]
    private static partial Regex MacroPattern();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|M|y)$")]
    private static partial Regex IntervalPattern();

    private string Variables(string sql) => VariablePattern().Replace(sql, match =>
    {
        string name = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Success ? match.Groups[2].Value : match.Groups[4].Value;
        if (name == "__interval")
        {
            return interval;
        }

        if (name == "__interval_ms")
        {
            return (Seconds(interval) * 1000).ToString("R", CultureInfo.InvariantCulture);
        }

        if (!_variables.TryGetValue(name, out (IReadOnlyList<string> Values, bool Multi) variable))
        {
            // Not a variable (a macro such as $__timeFilter, or unknown): Grafana leaves it as it is.
            return match.Value;
        }

        return variable.Multi ? string.Join(',', variable.Values.Select(Quote)) : variable.Values[0].Replace("'", "''", StringComparison.Ordinal);
    });

    private string Macros(string sql)
    {
        string expanded = sql;
        for (Match match = MacroPattern().Match(expanded); match.Success; match = MacroPattern().Match(expanded, match.Index + 1))
        {
            string name = match.Groups[1].Value;

            // Grafana before 5.3 aliased $__timeGroup itself; a comma right after it still asks for that.
            if (name == "__timeGroup" && match.Index + match.Length < expanded.Length && expanded[match.Index + match.Length] == ',')
            {
                name = "__timeGroupAlias";
            }

            string[] args = match.Groups[2].Value.Split(',').Select(a => a.Trim(' ')).ToArray();
            string replacement = Macro(name, args);
            expanded = string.Concat(expanded.AsSpan(0, match.Index), replacement, expanded.AsSpan(match.Index + match.Length));
        }

        return expanded;
    }

    private string Macro(string name, string[] args) => name switch
    {
        "__time" => $"{args[0]} AS \"time\"",
        "__timeEpoch" => $"extract(epoch from {args[0]}) as \"time\"",
        "__timeFilter" => $"{args[0]} BETWEEN '{Time(from)}' AND '{Time(to)}'",
        "__timeFrom" => $"'{Time(from)}'",
        "__timeTo" => $"'{Time(to)}'",
        "__timeGroup" => TimeGroup(args),
        "__timeGroupAlias" => TimeGroup(args) + " AS \"time\"",
        "__unixEpochFilter" => $"{args[0]} >= {from.ToUnixTimeSeconds()} AND {args[0]} <= {to.ToUnixTimeSeconds()}",
        "__unixEpochFrom" => from.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        "__unixEpochTo" => to.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"Grafana's PostgreSQL data source has no macro ${name}(): the query would fail."),
    };

    private static string TimeGroup(string[] args)
    {
        if (args.Length < 2)
        {
            throw new InvalidOperationException("$__timeGroup needs a time column and an interval.");
        }

        string seconds = Seconds(args[1]).ToString("R", CultureInfo.InvariantCulture);
        return $"floor(extract(epoch from {args[0]})/{seconds})*{seconds}";
    }
}
