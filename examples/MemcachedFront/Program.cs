using C10k.Server.Hosting;
using MemcachedFront;

// Process-wide and read once, at the first socket: run socket completions on the epoll threads, as the C10k host does.
C10kServer.PreferInlineSocketCompletions();

// The C10k host with a memcached text-protocol front and the MC.* operations it runs: memcached on 11212, RESP on 6393, native
// on 7103, admin on 8094 (appsettings.json); --help lists every C10k option.
return await C10kServer.RunAsync(args, MemcachedServer.Configure);
