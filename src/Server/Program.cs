using C10k.Server.Hosting;

// First, before any socket exists: the runtime reads this once, when it creates its socket engine (see SocketEngine).
C10kServer.PreferInlineSocketCompletions();

return await C10kServer.RunAsync(args);
