using C10k.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace C10k.Server.Diagnostics;

/// <summary>Chooses the console log format from <c>C10k:Logging:Json</c>: JSON lines for collectors, or the readable default.</summary>
internal static class ConsoleLogFormat
{
    public static IServiceCollection AddConsoleLogFormat(this IServiceCollection services)
    {
        services.AddSection<LoggingOptions>(LoggingOptions.Section);
        services.AddOptions<ConsoleLoggerOptions>().Configure<IOptions<LoggingOptions>>((console, logging) =>
        {
            if (logging.Value.Json)
            {
                console.FormatterName = ConsoleFormatterNames.Json;
            }
        });
        services.Configure<JsonConsoleFormatterOptions>(json =>
        {
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        return services;
    }
}
