using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using RnnNative.Inference;
using RnnNative.Models;
using RnnNative.Streaming;

namespace RnnNative.Cli.Commands;

/// <summary>What <c>rnn stream</c> was asked to do.</summary>
internal sealed record StreamSettings(string ModelPath, string InputPath, string OutputPath, string? ErrorsPath,
    InferenceModelOptions Model, RnnStreamOptions Streams, int Window);

/// <summary>
/// Reads events line by line and submits each at once, so steps of many streams meet in the batcher; a writer answers
/// them in input order. At most <see cref="StreamSettings.Window"/> events are in flight, which bounds memory.
/// </summary>
internal sealed class StreamRunner(StreamSettings settings, CliConsole console, TextReader standardInput)
{
    private sealed record Pending(long Line, StreamEvent? Event, JsonElement? Key, Task<StreamStepResult>? Step, string? Error);

    private long _errors, _steps;

    public async Task<int> RunAsync()
    {
        using var model = InferenceModelLoader.Load(settings.ModelPath, settings.Model);
        using var streams = new ModelStreamBatcher(model, settings.Streams);
        using var input = settings.InputPath == "-" ? null : new StreamReader(settings.InputPath);
        using var outputFile = settings.OutputPath == "-" ? null : new StreamWriter(settings.OutputPath);
        using var errorsFile = settings.ErrorsPath is null or "-" ? null : new StreamWriter(settings.ErrorsPath);
        var reader = input ?? standardInput;
        var output = outputFile ?? console.Out;
        var errors = errorsFile ?? console.Err;
        long evictions = 0;
        streams.Streams.StreamEvicted += (_, e) =>
        {
            Interlocked.Increment(ref evictions);
            // Reported on the errors stream: a later event for this key will fail, and this says why.
            string line = Json(w =>
            {
                w.WriteString("stream", e.Key);
                w.WriteString("evicted", e.Reason == RnnStreamCloseReason.EvictedIdle ? "idle" : "capacity");
            });
            lock (errors) errors.WriteLine(line);
        };

        var clock = Stopwatch.StartNew();
        var queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(settings.Window) { SingleReader = true, SingleWriter = true });
        var writer = Task.Run(() => WriteAnswers(queue.Reader, streams, output, errors));
        long line = 0;
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } text)
            {
                line++;
                if (string.IsNullOrWhiteSpace(text)) continue;
                await queue.Writer.WriteAsync(Submit(line, text, streams)).ConfigureAwait(false);
            }
        }
        finally
        {
            queue.Writer.Complete();
            await writer.ConfigureAwait(false);
        }
        output.Flush();
        errors.Flush();
        console.Err.WriteLine($"stream: {line} lines, {Interlocked.Read(ref _steps)} steps, {Interlocked.Read(ref _errors)} bad events, " +
            $"{Interlocked.Read(ref evictions)} evictions, {streams.Streams.LiveStreams} streams still live, {clock.Elapsed.TotalSeconds:F2} s");
        return ExitCodes.Success;
    }

    private Pending Submit(long line, string text, ModelStreamBatcher streams)
    {
        var (parsed, error, key) = StreamEvent.Parse(text, streams.Spec.InputSize);
        if (parsed is null) return new Pending(line, null, key, null, error);
        try
        {
            Task<StreamStepResult>? step = null;
            if (parsed.Tokens is not null)
            {
                if (!streams.ReadsTokens) return new Pending(line, parsed, key, null, $"the model reads \"features\" ({streams.Spec.InputSize} per step), not \"tokens\"");
                step = streams.StepAsync(parsed.Key, parsed.Tokens);
            }
            else if (parsed.Features is not null)
            {
                if (streams.ReadsTokens) return new Pending(line, parsed, key, null, "the model reads \"tokens\" (it has an embedding), not \"features\"");
                step = streams.StepAsync(parsed.Key, parsed.Features.AsMemory());
            }
            if (parsed.End && !streams.End(parsed.Key) && step is null)
                return new Pending(line, parsed, key, null, $"no live stream '{parsed.Key}' to end");
            return new Pending(line, parsed, key, step, null);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            return new Pending(line, parsed, key, null, e.Message);
        }
    }

    private async Task WriteAnswers(ChannelReader<Pending> pending, ModelStreamBatcher streams, TextWriter output, TextWriter errors)
    {
        await foreach (var item in pending.ReadAllAsync().ConfigureAwait(false))
        {
            string? error = item.Error;
            StreamStepResult? result = null;
            if (error is null && item.Step is not null)
            {
                try
                {
                    result = await item.Step.ConfigureAwait(false);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException or OperationCanceledException)
                {
                    error = e.Message;
                }
            }
            if (error is not null)
            {
                Interlocked.Increment(ref _errors);
                string line = Json(w =>
                {
                    w.WriteNumber("line", item.Line);
                    if (item.Key is { } key) { w.WritePropertyName("stream"); key.WriteTo(w); }
                    w.WriteString("error", error);
                });
                lock (errors) errors.WriteLine(line);
                continue;
            }
            if (result is not null) Interlocked.Add(ref _steps, result.Steps);
            output.WriteLine(Json(w =>
            {
                w.WritePropertyName("stream");
                item.Event!.KeyValue.WriteTo(w);
                if (result is null) { w.WriteBoolean("end", true); return; }
                WriteResult(w, result, streams);
            }));
        }
    }

    private static void WriteResult(Utf8JsonWriter w, StreamStepResult result, ModelStreamBatcher streams)
    {
        switch (streams.Kind)
        {
            case ModelKind.Tagger:
                w.WriteStartArray("labels");
                foreach (int label in result.Labels!) w.WriteNumberValue(label);
                w.WriteEndArray();
                break;
            case ModelKind.Classifier:
                w.WriteNumber("label", result.Label!.Value);
                w.WriteStartArray("probabilities");
                foreach (float p in result.LastProbabilities) w.WriteNumberValue(p);
                w.WriteEndArray();
                break;
            default:
                int width = streams.Spec.OutputSize;
                w.WriteStartArray("output");
                for (int t = 0; t < result.Steps; t++)
                {
                    w.WriteStartArray();
                    foreach (float v in result.Output.AsSpan(t * width, width)) w.WriteNumberValue(v);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                break;
        }
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
