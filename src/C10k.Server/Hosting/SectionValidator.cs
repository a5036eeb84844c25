using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace C10k.Server.Hosting;

/// <summary>
/// Validates an options class against its data annotations and reports each failure as one line naming the full
/// configuration key and the allowed range, e.g. "C10k:Native:Port must be between 0 and 65535 (got 70000)".
/// </summary>
internal sealed class SectionValidator<
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        List<string>? failures = null;
        foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite)
            {
                continue;
            }

            var value = property.GetValue(options);
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
            {
                if (!attribute.IsValid(value))
                {
                    (failures ??= []).Add(Describe(section + ":" + property.Name, attribute, value));
                }
            }
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Describe(string key, ValidationAttribute attribute, object? value) => attribute switch
    {
        RangeAttribute range => string.Create(CultureInfo.InvariantCulture, $"{key} must be between {range.Minimum} and {range.Maximum} (got {value})"),
        RequiredAttribute => $"{key} is required",
        IPAddressAttribute => $"{key} must be an IP address such as 127.0.0.1, 0.0.0.0 or :: (got '{value}')",
        _ => $"{key} is invalid: {attribute.FormatErrorMessage(key)}",
    };
}
