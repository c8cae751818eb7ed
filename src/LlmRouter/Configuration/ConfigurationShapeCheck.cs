using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace LlmRouter;

/// <summary>
/// Walks a configuration section against the options types before binding, so that every value that cannot be
/// converted and every unknown setting (a misspelt <c>Wieght</c> would otherwise be silently ignored) is reported
/// together, each with its path, instead of the binder stopping at the first one.
/// </summary>
internal static class ConfigurationShapeCheck
{
    public static void Check(IConfiguration section, Type type, string path, ConfigurationErrors errors)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            PropertyInfo? property = FindProperty(type, child.Key);
            string childPath = path + ":" + child.Key;
            if (property is null)
            {
                errors.Add(childPath, $"unknown setting '{child.Key}'");
                continue;
            }

            CheckValue(child, property.PropertyType, childPath, errors);
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, string path, ConfigurationErrors errors)
    {
        Type target = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(target))
        {
            if (section.Value is null)
            {
                if (section.GetChildren().Any())
                {
                    errors.Add(path, $"expected a single {Describe(target)} value, not a section");
                }

                return;
            }

            if (target != typeof(string) && section.Value.Length > 0 && !TryConvert(section.Value, target))
            {
                errors.Add(path, $"'{section.Value}' is not a valid {Describe(target)}");
            }

            return;
        }

        if (TryGetDictionaryValueType(target, out Type? valueType))
        {
            foreach (IConfigurationSection entry in section.GetChildren())
            {
                CheckValue(entry, valueType, path + ":" + entry.Key, errors);
            }

            return;
        }

        if (TryGetListItemType(target, out Type? itemType))
        {
            foreach (IConfigurationSection entry in section.GetChildren())
            {
                if (!int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    errors.Add(path + ":" + entry.Key, "expected a list entry");
                    continue;
                }

                CheckValue(entry, itemType, path + "[" + entry.Key + "]", errors);
            }

            return;
        }

        if (section.Value is not null && section.Value.Length > 0)
        {
            errors.Add(path, "expected a section, not a single value");
            return;
        }

        Check(section, target, path, errors);
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) ||
        type == typeof(Uri) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid) ||
        type == typeof(TimeOnly) || type == typeof(DateOnly);

    private static bool TryConvert(string value, Type type)
    {
        if (type.IsEnum)
        {
            return Enum.TryParse(type, value, ignoreCase: true, out object? parsed) && Enum.IsDefined(type, parsed!);
        }

        if (type == typeof(Uri))
        {
            return Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _);
        }

        try
        {
            return TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value) is not null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string Describe(Type type)
    {
        if (type.IsEnum)
        {
            return $"{type.Name} (one of: {string.Join(", ", Enum.GetNames(type))})";
        }

        return type == typeof(TimeSpan) ? "time span (hh:mm:ss)" :
            type == typeof(bool) ? "boolean" :
            type == typeof(Uri) ? "URI" :
            type == typeof(int) || type == typeof(long) ? "whole number" :
            type == typeof(double) || type == typeof(decimal) || type == typeof(float) ? "number" :
            type.Name;
    }

    private static PropertyInfo? FindProperty(Type type, string key)
    {
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (string.Equals(property.Name, key, StringComparison.OrdinalIgnoreCase) && property.GetIndexParameters().Length == 0)
            {
                return property;
            }
        }

        return null;
    }

    private static bool TryGetDictionaryValueType(Type type, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? valueType)
    {
        foreach (Type candidate in type.GetInterfaces().Prepend(type))
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IDictionary<,>))
            {
                valueType = candidate.GetGenericArguments()[1];
                return true;
            }
        }

        valueType = null;
        return false;
    }

    private static bool TryGetListItemType(Type type, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? itemType)
    {
        if (type.IsArray)
        {
            itemType = type.GetElementType()!;
            return true;
        }

        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            foreach (Type candidate in type.GetInterfaces().Prepend(type))
            {
                if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IList<>))
                {
                    itemType = candidate.GetGenericArguments()[0];
                    return true;
                }
            }
        }

        itemType = null;
        return false;
    }
}
