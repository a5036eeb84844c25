namespace C10k.LoadTesting.Simulations;

/// <summary>The shape of one load simulation segment (NBomber's names).</summary>
public enum LoadSimulationKind
{
    /// <summary>Open model: a fixed arrival rate, whatever the server does.</summary>
    Inject,

    /// <summary>Open model: the arrival rate moves linearly from the previous segment's rate to the target.</summary>
    RampingInject,

    /// <summary>Closed model: a constant number of virtual users, each waiting for its reply before sending again.</summary>
    KeepConstant,

    /// <summary>Closed model: the number of virtual users moves linearly from the previous segment's count to the target.</summary>
    RampingConstant,

    /// <summary>Nothing is sent.</summary>
    Pause,

    /// <summary>Closed model: a number of virtual users share a fixed number of iterations, however long that takes.</summary>
    IterationsForConstant,
}
