using System.Buffers;
using System.Text;
using System.Text.Json;
using RnnNative.Inference;
using RnnNative.Models;

namespace RnnNative.Cli.Predict;

/// <summary>JSON Lines: a row is one line of UTF-8 JSON; files are written with "\n" endings and no byte-order mark.</summary>
internal sealed class JsonlResultFormat : ResultFormat
{
    public static JsonlResultFormat Instance { get; } = new();

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public override string Name => "jsonl";
    public override string Extension => ".jsonl";

    public override object ToRow(PredictionResult result, OutputShape shape)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteId(json, result.Id!.Value);
            switch (shape.Kind)
            {
                case ModelKind.Classifier:
                    json.WriteNumber("label", result.Label);
                    WriteFloats(json, "probabilities", result.Probabilities!);
                    if (shape.LabelNames is { } names) json.WriteString("label_name", names[result.Label]);
                    break;
                case ModelKind.Tagger:
                    WriteInts(json, "labels", result.Labels!);
                    if (shape.StepProbabilities) WriteRows(json, "probabilities", result.StepProbabilities!, result.Labels!.Length);
                    if (shape.LabelNames is { } tagNames)
                    {
                        json.WriteStartArray("label_names");
                        foreach (int label in result.Labels!) json.WriteStringValue(tagNames[label]);
                        json.WriteEndArray();
                    }
                    break;
                case ModelKind.Generator or ModelKind.EncoderDecoder:
                    WriteInts(json, "tokens", result.Tokens!);
                    break;
                default:
                    WriteRows(json, "hidden", result.Hidden!, result.HiddenRows);
                    if (shape.FullOutput) WriteRows(json, "output", result.Output!, result.Record.Length);
                    break;
            }
            json.WriteEndObject();
        }
        return Utf8.GetString(buffer.WrittenSpan);
    }

    public static void WriteId(Utf8JsonWriter json, RecordId id)
    {
        if (id.Text is { } text) json.WriteString("id", text);
        else json.WriteNumber("id", id.Number);
    }

    private static void WriteInts(Utf8JsonWriter json, string name, int[] values)
    {
        json.WriteStartArray(name);
        foreach (int v in values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }

    private static void WriteFloats(Utf8JsonWriter json, string name, ReadOnlySpan<float> values)
    {
        json.WriteStartArray(name);
        WriteFloatValues(json, values);
        json.WriteEndArray();
    }

    private static void WriteRows(Utf8JsonWriter json, string name, float[] values, int rows)
    {
        int width = rows == 0 ? 0 : values.Length / rows;
        json.WriteStartArray(name);
        for (int r = 0; r < rows; r++)
        {
            json.WriteStartArray();
            WriteFloatValues(json, values.AsSpan(r * width, width));
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }

    /// <summary>Shortest round-trip numbers; JSON has no NaN or infinity, so those are written as the strings "NaN", "Infinity", "-Infinity".</summary>
    private static void WriteFloatValues(Utf8JsonWriter json, ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (float.IsFinite(v)) json.WriteNumberValue(v);
            else json.WriteStringValue(float.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
        }
    }

    public override IEnumerable<object> ReadRows(string path) => File.ReadLines(path, Utf8);

    public override long CountRows(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        long rows = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0) rows += buffer.AsSpan(0, read).Count((byte)'\n');
        return rows;
    }

    public override IResultRowWriter CreateWriter(string target, IReadOnlyList<string> sources, OutputShape? shape, int rowGroupSize) => new LineWriter(target);

    private sealed class LineWriter(string path) : IResultRowWriter
    {
        private readonly FileStream _stream = new(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        private StreamWriter? _text;

        public void Add(object row)
        {
            _text ??= new StreamWriter(_stream, Utf8, 1 << 16, leaveOpen: true) { NewLine = "\n" };
            _text.Write((string)row);
            _text.Write('\n');
        }

        public void Complete()
        {
            _text?.Flush();
            _stream.Flush(flushToDisk: true);
        }

        public void Dispose()
        {
            try
            {
                _text?.Dispose();
            }
            finally
            {
                _stream.Dispose();
            }
        }
    }
}
