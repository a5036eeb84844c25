using System.CommandLine;
using C10k.LoadTesting.Scenarios;

namespace C10k.Load.Cli;

/// <summary>Defines <c>c10k-load scenarios</c>: lists the shipped scenario files.</summary>
internal static class ScenariosCommand
{
    public static Command Create()
    {
        var command = new Command("scenarios", "List the shipped scenarios.");
        command.SetAction(_ =>
        {
            foreach (var path in ScenarioLocator.Shipped())
            {
                var file = ScenarioBuilder.Load(path);
                Console.WriteLine($"{file.Name,-34} {file.Description}");
            }

            return 0;
        });
        return command;
    }
}
