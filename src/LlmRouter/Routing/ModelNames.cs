using System.Text;

namespace LlmRouter;

/// <summary>
/// The rules for names of models, providers and regions. Names are compared exactly (ordinal, case-sensitive), so a
/// name with other casing, surrounding whitespace, control characters or non-ASCII look-alikes is simply another,
/// unknown name — never a near match.
/// </summary>
internal static class ModelNames
{
    public const int MaxLength = 128;

    public const string NameRule = "1 to 128 ASCII letters, digits and . _ - : / @ +, starting with a letter or digit";

    public const string RegionRule = "lowercase ASCII letters, digits and '-', starting with a letter";

    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or ':' or '/' or '@' or '+'))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValidRegion(string? region)
    {
        if (string.IsNullOrEmpty(region) || region.Length > 64 || !char.IsAsciiLetterLower(region[0]))
        {
            return false;
        }

        foreach (char c in region)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Renders an untrusted name for a message or log: control and non-ASCII characters escaped as <c>\uXXXX</c>, and
    /// cut to a readable length, so a hostile name can neither forge log lines nor flood them.
    /// </summary>
    public static string Printable(string? name)
    {
        if (name is null)
        {
            return "(null)";
        }

        const int Shown = 64;
        bool clean = name.Length <= Shown;
        if (clean)
        {
            foreach (char c in name)
            {
                if (c < 0x20 || c > 0x7E)
                {
                    clean = false;
                    break;
                }
            }
        }

        if (clean)
        {
            return name;
        }

        var builder = new StringBuilder(Shown + 32);
        for (int i = 0; i < name.Length && i < Shown; i++)
        {
            char c = name[i];
            if (c < 0x20 || c > 0x7E)
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        if (name.Length > Shown)
        {
            builder.Append("… (").Append(name.Length).Append(" characters)");
        }

        return builder.ToString();
    }
}
