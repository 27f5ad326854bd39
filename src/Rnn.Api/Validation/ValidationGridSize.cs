namespace RnnNative.Validation;

/// <summary>
/// Quick: about a hundred cases, what the test suite runs for every backend. Full: several hundred, with larger
/// batches and models allowed, for <c>rnn validate</c> on a deployment.
/// </summary>
public enum ValidationGridSize
{
    Quick,
    Full,
}
