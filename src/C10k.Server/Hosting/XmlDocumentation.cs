using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace C10k.Server.Hosting;

/// <summary>
/// Reads member summaries from the XML documentation file the build writes next to the assembly, so <c>--help</c> explains each
/// option in the same words as its source. Without the file, summaries are null.
/// </summary>
internal sealed class XmlDocumentation
{
    private readonly Dictionary<string, string> _summaries;

    private XmlDocumentation(Dictionary<string, string> summaries) => _summaries = summaries;

    public static XmlDocumentation ForAssembly(Assembly assembly)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".xml");
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            foreach (var member in XDocument.Load(path).Descendants("member"))
            {
                if (member.Attribute("name")?.Value is { } name && member.Element("summary") is { } summary)
                {
                    summaries[name] = Flatten(summary);
                }
            }
        }

        return new XmlDocumentation(summaries);
    }

    public string? Summary(PropertyInfo property) =>
        _summaries.GetValueOrDefault("P:" + property.DeclaringType!.FullName + "." + property.Name);

    private static string Flatten(XElement element)
    {
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            text.Append(node switch
            {
                XText plain => plain.Value,
                XElement { Name.LocalName: "see" } see => (see.Attribute("cref")?.Value ?? see.Attribute("langword")?.Value ?? "").Split('.')[^1],
                XElement inner => inner.Value,
                _ => "",
            });
        }

        return string.Join(' ', text.ToString().Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }
}
