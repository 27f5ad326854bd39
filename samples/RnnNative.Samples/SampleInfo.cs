namespace RnnNative.Samples;

/// <summary>
/// A runnable sample: its command-line name, a one-line description, its entry point, and whether it can save the
/// model it trained as a checkpoint (<see cref="SampleOptions.CheckpointPath"/>) for <c>rnn predict</c>.
/// </summary>
public sealed record SampleInfo(string Name, string Description, Func<TextWriter, SampleOptions, SampleResult> Run, bool SavesCheckpoint = false);
