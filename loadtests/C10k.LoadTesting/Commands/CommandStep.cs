namespace C10k.LoadTesting.Commands;

/// <summary>One step of a command scenario: a command template, an optional reply check, and optionally a variable its reply is saved to.</summary>
/// <param name="Name">The step's name in reports (default: the command word in lower case).</param>
/// <param name="Command">What to send.</param>
/// <param name="Check">What the reply must be, or null to accept any non-error reply.</param>
/// <param name="SaveAs">A variable the reply's value is saved to for later steps (<c>{name}</c>), or null.</param>
public sealed record CommandStep(string Name, CommandTemplate Command, ReplyCheck? Check = null, string? SaveAs = null)
{
    /// <summary>True when the connection must keep the reply's value.</summary>
    public bool NeedsValue => SaveAs is not null || Check?.NeedsValue == true;

    /// <summary>Sends the command rendered for <paramref name="scope"/>, checks the reply and saves its value.</summary>
    public async ValueTask<Response> RunAsync(ScenarioContext context, TemplateScope scope)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = await context.Connection.ExecuteAsync(Command.Render(scope), NeedsValue, context.CancellationToken);
        if (Check is not null)
        {
            response = Check.Apply(response, scope);
        }

        if (response.IsOk && SaveAs is not null)
        {
            scope.Set(SaveAs, response.Value);
        }

        return response;
    }
}
