namespace RnnNative.Bench.Peers;

/// <summary>A peer (or one of our targets) does not compute the reference's function: its figures would mean nothing.</summary>
public sealed class PeerMismatchException(string message) : Exception(message);
