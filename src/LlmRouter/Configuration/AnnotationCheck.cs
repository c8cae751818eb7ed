using System.ComponentModel.DataAnnotations;

namespace LlmRouter;

/// <summary>Runs the data-annotation attributes of one options object and reports failures with configuration paths.</summary>
internal static class AnnotationCheck
{
    public static void Validate(object instance, string path, ConfigurationErrors errors)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
        {
            return;
        }

        foreach (ValidationResult result in results)
        {
            string member = result.MemberNames.FirstOrDefault() ?? string.Empty;
            errors.Add(member.Length == 0 ? path : path + ":" + member, Describe(result, member));
        }
    }

    private static string Describe(ValidationResult result, string member)
    {
        string message = result.ErrorMessage ?? "is not valid";

        // "The Region field is required." reads better as "is required" after the path, and "The field Weight must be
        // between 1 and 10." as "must be between 1 and 10".
        string prefix = "The " + member + " field ";
        string rangePrefix = "The field " + member + " ";
        return message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..].TrimEnd('.') :
            message.StartsWith(rangePrefix, StringComparison.Ordinal) ? message[rangePrefix.Length..].TrimEnd('.') :
            message;
    }
}
