namespace C10k.Client;

/// <summary>What the server states in its HELLO reply.</summary>
/// <param name="Version">Protocol version.</param>
/// <param name="MaxFrameBytes">Largest request payload the server accepts.</param>
/// <param name="MaxInFlight">Requests one connection may have in flight before the server stops reading it.</param>
public sealed record HelloInfo(int Version, int MaxFrameBytes, int MaxInFlight);
