namespace LlmRouter.Postgres.Tests.Support;

/// <summary>
/// Reads the block-style YAML subset Grafana's provisioning files are written in — maps, lists of maps, scalars,
/// comments — into paths such as <c>datasources[0].jsonData.database</c>. Anything else (flow style, multi-line
/// scalars, anchors, tabs) is refused, so a file this cannot read is reported rather than half-read.
/// </summary>
internal static class ProvisioningYaml
{
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var open = new List<(int Indent, string Path, bool Item)>();
        var items = new Dictionary<string, int>(StringComparer.Ordinal);
        int number = 0;
        foreach (string raw in File.ReadLines(path))
        {
            number++;
            string line = StripComment(raw).TrimEnd();
            if (line.Trim().Length == 0 || line.Trim() == "---")
            {
                continue;
            }

            if (line.Contains('\t', StringComparison.Ordinal))
            {
                throw new FormatException($"{path}:{number}: tabs are not YAML indentation.");
            }

            int indent = line.Length - line.TrimStart(' ').Length;
            string content = line.Trim();
            bool item = content.StartsWith("- ", StringComparison.Ordinal);
            while (open.Count > 0 && (open[^1].Indent > indent || (open[^1].Indent == indent && (open[^1].Item || !item))))
            {
                open.RemoveAt(open.Count - 1);
            }

            string parent = open.Count > 0 ? open[^1].Path : string.Empty;
            if (item)
            {
                int index = items.TryGetValue(parent, out int seen) ? seen : 0;
                items[parent] = index + 1;
                parent = $"{parent}[{index}]";
                open.Add((indent, parent, true));
                content = content[2..].TrimStart();
                indent += 2;
            }

            int colon = content.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || (colon < content.Length - 1 && content[colon + 1] != ' '))
            {
                throw new FormatException($"{path}:{number}: expected 'key: value' or 'key:', found '{content}'.");
            }

            string key = content[..colon];
            string value = content[(colon + 1)..].Trim();
            string keyPath = parent.Length == 0 ? key : parent + "." + key;
            if (value.Length == 0)
            {
                open.Add((indent, keyPath, false));
                continue;
            }

            if (value[0] is '{' or '[' or '|' or '>' or '&' or '*' or '!')
            {
                throw new FormatException($"{path}:{number}: only plain and quoted scalars are read, found '{value}'.");
            }

            values[keyPath] = Unquote(value);
        }

        return values;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && ((value[0] == '"' && value[^1] == '"') || (value[0] == '\'' && value[^1] == '\'')) ? value[1..^1] : value;

    private static string StripComment(string line)
    {
        bool single = false, dbl = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\'' && !dbl)
            {
                single = !single;
            }
            else if (c == '"' && !single)
            {
                dbl = !dbl;
            }
            else if (c == '#' && !single && !dbl && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i];
            }
        }

        return line;
    }
}
