using C10k.Server.Hosting;
using PasswordService;

// Process-wide and read once, at the first socket: run socket completions on the epoll threads, as the C10k host does.
C10kServer.PreferInlineSocketCompletions();

// The C10k host with two more operations: RESP on 6390, native on 7100, admin on 8091 (appsettings.json); --help lists every option.
return await C10kServer.RunAsync(args, PasswordServer.Configure);
