using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using RnnNative.Inference;
using RnnNative.Models;

namespace RnnNative.Cli.Predict;

/// <summary>
/// Parquet (Parquet.Net): a row is a column-name → value map; lists are Parquet lists. Files are written one row group
/// at a time, so memory is bounded by a row group. The <c>id</c> column is int64 when every id is an integer, else
/// string (integer ids then written as their decimal text).
/// </summary>
internal sealed class ParquetResultFormat : ResultFormat
{
    public static ParquetResultFormat Instance { get; } = new();

    public override string Name => "parquet";
    public override string Extension => ".parquet";

    public override object ToRow(PredictionResult result, OutputShape shape)
    {
        var id = result.Id!.Value;
        var row = new Dictionary<string, object?> { ["id"] = id.Text is { } text ? text : id.Number };
        switch (shape.Kind)
        {
            case ModelKind.Classifier:
                row["label"] = result.Label;
                row["probabilities"] = new List<float>(result.Probabilities!);
                if (shape.LabelNames is { } names) row["label_name"] = names[result.Label];
                break;
            case ModelKind.Tagger:
                row["labels"] = new List<int>(result.Labels!);
                if (shape.StepProbabilities) row["probabilities"] = OutputShape.Rows(result.StepProbabilities!, result.Labels!.Length);
                if (shape.LabelNames is { } tagNames) row["label_names"] = result.Labels!.Select(l => (ReadOnlyMemory<char>?)tagNames[l].AsMemory()).ToList();
                break;
            case ModelKind.Generator or ModelKind.EncoderDecoder:
                row["tokens"] = new List<int>(result.Tokens!);
                break;
            default:
                row["hidden"] = OutputShape.Rows(result.Hidden!, result.HiddenRows);
                if (shape.FullOutput) row["output"] = OutputShape.Rows(result.Output!, result.Record.Length);
                break;
        }
        return row;
    }

    /// <summary>The columns of rows made by <see cref="ToRow"/>.</summary>
    private static List<Field> Fields(OutputShape shape)
    {
        static ListField FloatRows(string name) => new(name, new ListField("element", new DataField<float>("element")));
        var fields = new List<Field>();
        switch (shape.Kind)
        {
            case ModelKind.Classifier:
                fields.Add(new DataField<int>("label"));
                fields.Add(new ListField("probabilities", new DataField<float>("element")));
                if (shape.LabelNames is not null) fields.Add(new DataField<string>("label_name"));
                break;
            case ModelKind.Tagger:
                fields.Add(new ListField("labels", new DataField<int>("element")));
                if (shape.StepProbabilities) fields.Add(FloatRows("probabilities"));
                if (shape.LabelNames is not null) fields.Add(new ListField("label_names", new DataField<string>("element")));
                break;
            case ModelKind.Generator or ModelKind.EncoderDecoder:
                fields.Add(new ListField("tokens", new DataField<int>("element")));
                break;
            default:
                fields.Add(FloatRows("hidden"));
                if (shape.FullOutput) fields.Add(FloatRows("output"));
                break;
        }
        return fields;
    }

    public override long CountRows(string path)
    {
        using var stream = File.OpenRead(path);
        var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        long rows = reader.Metadata?.NumRows ?? 0;
        reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return rows;
    }

    public override IEnumerable<object> ReadRows(string path)
    {
        int groups;
        using (var stream = File.OpenRead(path))
        {
            var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
            groups = reader.RowGroupCount;
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        using var data = File.OpenRead(path);
        for (int g = 0; g < groups; g++)
            foreach (var row in ParquetSerializer.DeserializeUntypedAsync(data, null, g).GetAwaiter().GetResult().Data)
                yield return row;
    }

    public override IResultRowWriter CreateWriter(string target, IReadOnlyList<string> sources, OutputShape? shape, int rowGroupSize)
    {
        List<Field>? fields = shape is null ? null : Fields(shape);
        bool? idIsText = null;
        foreach (var source in sources)
        {
            var schema = ParquetReader.ReadSchemaAsync(source).GetAwaiter().GetResult();
            fields ??= schema.Fields.Where(f => f.Name != "id").ToList();
            bool text = schema.Fields.First(f => f.Name == "id") is DataField { ClrType: var type } && type != typeof(long) && type != typeof(int);
            idIsText = (idIsText ?? false) || text;
        }
        return new RowGroupWriter(target, fields ?? throw new InvalidOperationException("A Parquet writer needs a shape or a source."), idIsText, rowGroupSize);
    }

    private sealed class RowGroupWriter(string path, List<Field> fields, bool? idIsText, int rowGroupSize) : IResultRowWriter
    {
        private readonly FileStream _stream = new(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        private readonly List<IDictionary<string, object?>> _pending = [];
        private ParquetSchema? _schema;

        public void Add(object row)
        {
            _pending.Add((IDictionary<string, object?>)row);
            if (_pending.Count >= rowGroupSize) Flush();
        }

        public void Complete()
        {
            if (_pending.Count > 0 || _schema is null) Flush();
            _stream.Flush(flushToDisk: true);
        }

        private void Flush()
        {
            bool append = _schema is not null;
            if (_schema is null)
            {
                // Rows made from results decide the id type on the first row group (a chunk is one row group).
                bool text = idIsText ?? _pending.Any(r => r["id"] is not long);
                _schema = new ParquetSchema(fields.Prepend(text ? new DataField<string>("id") : new DataField<long>("id")));
                idIsText = text;
            }
            if (idIsText == true)
                foreach (var row in _pending)
                    if (row["id"] is not string) row["id"] = Convert.ToString(row["id"], System.Globalization.CultureInfo.InvariantCulture);
            ParquetSerializer.SerializeUntypedAsync(_pending, _schema, _stream, new ParquetOptions { Append = append }).GetAwaiter().GetResult();
            _pending.Clear();
        }

        public void Dispose() => _stream.Dispose();
    }
}
