using System.CommandLine;
using C10k.Load.Cli;

// Socket completions run on the epoll thread instead of hopping to the thread pool: for a generator whose continuation is
// "record the latency, send the next request" the hop costs more than the work (ARCHITECTURE.md measured the same for the server).
// Read when the first socket is used, so setting it here takes effect; an explicit environment setting wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

var root = new RootCommand("c10k-load: an open-model load generator for C10k's native protocol and any RESP server, with honest latencies (no coordinated omission), held connections, merged multi-process histograms and md/csv/json/html reports.")
{
    RunCommand.Create(),
    ScenariosCommand.Create(),
    AgentCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
