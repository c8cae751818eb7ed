namespace LlmRouter.Tests.Support;

/// <summary>A strict RFC 4180 reader for the specs: CRLF records, quoted fields with doubled quotes; anything else fails.</summary>
internal static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException("An unterminated quoted field.");
                    }

                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(text[i++]);
                    }
                }
            }

            while (i < text.Length && text[i] != ',' && text[i] != '\r')
            {
                if (text[i] is '"' or '\n')
                {
                    throw new FormatException($"A bare quote or line feed at {i}.");
                }

                field.Append(text[i++]);
            }

            fields.Add(field.ToString());
            field.Clear();
            if (i < text.Length && text[i] == ',')
            {
                i++;
                continue;
            }

            if (i + 1 >= text.Length || text[i + 1] != '\n')
            {
                throw new FormatException($"A record not ended by CRLF at {i}.");
            }

            i += 2;
            records.Add([.. fields]);
            fields.Clear();
        }

        return records;
    }

    /// <summary>The records as dictionaries by the header's column names.</summary>
    public static List<Dictionary<string, string>> Table(string text)
    {
        List<string[]> records = Parse(text);
        string[] header = records[0];
        return [.. records.Skip(1).Select(r =>
        {
            Assert.Equal(header.Length, r.Length);
            return header.Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        })];
    }
}
