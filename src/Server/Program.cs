using C10k.Server.Hosting;
using Microsoft.Extensions.Options;

// First, before any socket exists: the runtime reads this once, when it creates its socket engine (see SocketEngine).
SocketEngine.PreferInlineCompletions();

if (ConfigurationHelp.IsRequested(args))
{
    ConfigurationHelp.Write(Console.Out);
    return 0;
}

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

try
{
    var app = C10kServer.Build(args);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    foreach (var failure in ex.Failures)
    {
        await Console.Error.WriteLineAsync($"Invalid configuration: {failure}");
    }

    return 2;
}
catch (InvalidOperationException ex) when (ex.Message.Contains("configuration value", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync($"Invalid configuration: {ConfigurationHelp.ExplainBindingError(ex.Message)}");
    return 2;
}
