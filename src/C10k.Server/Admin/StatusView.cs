namespace C10k.Server.Admin;

/// <summary>Everything one rendering of the status page shows.</summary>
internal sealed record StatusView(
    string State,
    IReadOnlyList<FrontView> Fronts,
    int ConnectionLimit,
    int Admitted,
    int InFlight,
    string Strategy,
    int QueueDepth,
    int BusyWorkers,
    IReadOnlyList<long> ExecutedPerWorker,
    LiveReport Live);
