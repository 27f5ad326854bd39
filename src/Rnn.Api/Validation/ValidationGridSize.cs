namespace RnnNative.Validation;

/// <summary>
/// Quick: about 300 cases, what the test suite runs for every backend (the managed reference runs them in about
/// 15 s on one core). Full: about 600, with larger batches and models allowed, for <c>rnn validate</c> on a deployment.
/// </summary>
public enum ValidationGridSize
{
    Quick,
    Full,
}
