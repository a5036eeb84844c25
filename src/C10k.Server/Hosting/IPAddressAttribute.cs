using System.ComponentModel.DataAnnotations;
using System.Net;

namespace C10k.Server.Hosting;

/// <summary>The option is an IP address literal (127.0.0.1, 0.0.0.0, ::); host names are not resolved. A missing value is <see cref="RequiredAttribute"/>'s to report.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class IPAddressAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is not string text || text.Length == 0 || IPAddress.TryParse(text, out _);
}
