namespace C10k.LoadTesting.Commands;

/// <summary>
/// Turns command steps into a scenario's step function: each iteration renders its variables, then runs the steps in order on its
/// connection (NBomber's steps), each measured on its own; the first failing step ends the iteration with its status.
/// </summary>
public static class CommandScenario
{
    /// <summary>
    /// The scenario function for <paramref name="steps"/>, with <paramref name="variables"/> rendered once per iteration.
    /// <c>{feed}</c> is the feed's item, or <paramref name="payload"/> without a feed. The iteration's <c>{seq}</c> is <c>invocation × <paramref name="sequenceStride"/> + <paramref name="sequenceOffset"/></c>, so
    /// processes and agents that split a run use disjoint sequence numbers.
    /// </summary>
    public static Func<ScenarioContext, ValueTask<Response>> Create(
        IReadOnlyList<CommandStep> steps,
        IReadOnlyList<KeyValuePair<string, ArgumentTemplate>> variables,
        ReadOnlyMemory<byte> payload = default,
        long sequenceOffset = 0,
        long sequenceStride = 1)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(variables);
        if (steps.Count == 0)
        {
            throw new ArgumentException("A command scenario needs at least one step.", nameof(steps));
        }

        CheckVariables(steps, variables);
        if (steps.Count > 1 && steps.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != steps.Count)
        {
            throw new FormatException($"Step names must be unique ({string.Join(", ", steps.Select(s => s.Name))}): name them.");
        }

        TemplateScope Scope(ScenarioContext context)
        {
            var scope = new TemplateScope((context.InvocationNumber * sequenceStride) + sequenceOffset, context.Payload.IsEmpty ? payload : context.Payload);
            foreach (var (name, template) in variables)
            {
                scope.Set(name, template.Render(scope));
            }

            return scope;
        }

        if (steps.Count == 1)
        {
            var step = steps[0];
            if (variables.Count == 0 && step.Check is null && step.SaveAs is null && step.Command.ConstantWords is { } words)
            {
                // PING-like holds: no scope and no state machine per request, only the connection's own.
                return context => context.Connection.ExecuteAsync(words, false, context.CancellationToken);
            }

            return context => step.RunAsync(context, Scope(context));
        }

        return async context =>
        {
            var scope = Scope(context);
            var response = default(Response);
            foreach (var step in steps)
            {
                response = await context.StepAsync(step.Name, () => step.RunAsync(context, scope));
                if (!response.IsOk)
                {
                    break;
                }
            }

            return response;
        };
    }

    private static void CheckVariables(IReadOnlyList<CommandStep> steps, IReadOnlyList<KeyValuePair<string, ArgumentTemplate>> variables)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, template) in variables)
        {
            Require(template.Variables, known, $"var '{name}'");
            known.Add(name);
        }

        foreach (var step in steps)
        {
            Require(step.Command.Variables.Concat(step.Check?.Value?.Variables ?? []), known, $"step '{step.Name}'");
            if (step.SaveAs is not null)
            {
                known.Add(step.SaveAs);
            }
        }
    }

    private static void Require(IEnumerable<string> used, HashSet<string> known, string where)
    {
        var missing = used.FirstOrDefault(v => !known.Contains(v));
        if (missing is not null)
        {
            throw new FormatException($"{where} uses {{{missing}}}, which no var and no earlier step's save defines.");
        }
    }
}
