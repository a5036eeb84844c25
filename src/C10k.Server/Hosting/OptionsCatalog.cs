using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;

namespace C10k.Server.Hosting;

/// <summary>
/// Every configuration key of the server, found by convention: each options class declares <c>public const string Section</c>
/// and its settable public properties are the keys. <c>--help</c> prints this list and a test checks that
/// docs/configuration.md covers it, so a new option can't go undocumented.
/// </summary>
internal static class OptionsCatalog
{
    /// <summary>The options classes with their sections, ordered by section.</summary>
    public static IReadOnlyList<(string Section, Type Type)> Sections() =>
        [.. typeof(OptionsCatalog).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (Field: t.GetField("Section", BindingFlags.Public | BindingFlags.Static), Type: t))
            .Where(s => s.Field is { IsLiteral: true } && s.Field.FieldType == typeof(string))
            .Select(s => ((string)s.Field!.GetRawConstantValue()!, s.Type))
            .OrderBy(s => s.Item1, StringComparer.Ordinal)];

    /// <summary>Every key, in section order then declaration order.</summary>
    public static IReadOnlyList<OptionKey> Keys(XmlDocumentation? docs = null)
    {
        docs ??= XmlDocumentation.ForAssembly(typeof(OptionsCatalog).Assembly);
        var keys = new List<OptionKey>();
        foreach (var (section, type) in Sections())
        {
            var defaults = Activator.CreateInstance(type);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                keys.Add(new OptionKey(
                    section + ":" + property.Name,
                    TypeName(property.PropertyType),
                    Format(property.GetValue(defaults)),
                    Allowed(property),
                    docs.Summary(property)));
            }
        }

        return keys;
    }

    private static string TypeName(Type type) => type switch
    {
        _ when type == typeof(int) => "int",
        _ when type == typeof(long) => "long",
        _ when type == typeof(bool) => "bool",
        _ when type == typeof(string) => "string",
        _ when type == typeof(double) => "double",
        _ when type == typeof(Dictionary<string, string>) => "map of name to string",
        _ => type.Name,
    };

    private static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        System.Collections.IDictionary { Count: 0 } => "{}",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string? Allowed(PropertyInfo property)
    {
        if (property.PropertyType.IsEnum)
        {
            return string.Join(", ", Enum.GetNames(property.PropertyType));
        }

        return property.GetCustomAttribute<RangeAttribute>() is { } range
            ? string.Create(CultureInfo.InvariantCulture, $"{range.Minimum}..{range.Maximum}")
            : property.PropertyType == typeof(bool) ? "true, false" : null;
    }
}
