namespace RnnNative.Cli;

/// <summary>The process exit codes of <c>rnn</c>.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>Something went wrong that is not the user's input (an I/O failure, a backend failure, failed validation).</summary>
    public const int Failure = 1;
    /// <summary>Bad arguments, missing or malformed files, shapes that do not fit, an unavailable backend.</summary>
    public const int InvalidInput = 2;
    /// <summary>rnn predict met more bad records than --max-errors allows, or every record it read was bad (they are in its errors file).</summary>
    public const int TooManyErrors = 3;
}
