using C10k.Server.Hosting;
using KeyValueStore;

// Process-wide and read once, at the first socket: run socket completions on the epoll threads, as the C10k host does. Safe
// here: the operations never block (the database lives on the store's own threads).
C10kServer.PreferInlineSocketCompletions();

// The C10k host with the store's operations: RESP on 6395, native on 7105, admin on 8095, the database in data/kv.db under the
// application's folder (appsettings.json); --help lists every C10k option.
return await C10kServer.RunAsync(args, KeyValueServer.Configure);
