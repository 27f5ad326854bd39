namespace RnnNative.Samples;

/// <summary>A runnable sample: its command-line name, a one-line description and its entry point.</summary>
public sealed record SampleInfo(string Name, string Description, Func<TextWriter, SampleOptions, SampleResult> Run);
