using System.Text;
using RnnNative.Formats;
using RnnNative.Onnx.Protos;
using System.Numerics.Tensors;

namespace RnnNative.Onnx;

/// <summary>
/// One ONNX <c>LSTM</c>, <c>GRU</c> or <c>RNN</c> node converted to PyTorch's form: per direction, weight_ih, weight_hh
/// and (if the node has B) bias_ih, bias_hh with PyTorch's gate order. Refuses what PyTorch's equations cannot express.
/// </summary>
internal sealed class OnnxRecurrentNode
{
    public static readonly HashSet<string> OpTypes = ["LSTM", "GRU", "RNN"];

    /// <summary>For each PyTorch gate block, the ONNX block it comes from: LSTM i,f,g,o ← i,o,f,c; GRU r,z,n ← z,r,h.</summary>
    private static readonly int[] LstmGateSource = [0, 2, 3, 1];
    private static readonly int[] GruGateSource = [1, 0, 2];
    private static readonly int[] RnnGateSource = [0];

    private OnnxRecurrentNode(NodeProto node, RnnCellKind cell, int inputSize, int hidden, int directions, bool batchFirst, Tensor<float>[][] weights)
    {
        Node = node;
        Cell = cell;
        InputSize = inputSize;
        HiddenSize = hidden;
        Directions = directions;
        BatchFirst = batchFirst;
        Weights = weights;
    }

    public NodeProto Node { get; }
    public string Name => OnnxGraph.NameOf(Node);
    public RnnCellKind Cell { get; }
    public int InputSize { get; }
    public int HiddenSize { get; }
    public int Directions { get; }
    public bool BatchFirst { get; }
    public bool HasBias => Weights[0].Length == 4;
    /// <summary>[direction][weight_ih, weight_hh, bias_ih?, bias_hh?].</summary>
    public Tensor<float>[][] Weights { get; }
    public string X => Node.Input[0];
    public string? Y => Node.Output.Count > 0 && Node.Output[0].Length > 0 ? Node.Output[0] : null;

    public static OnnxRecurrentNode Convert(NodeProto node, OnnxGraph graph)
    {
        string name = OnnxGraph.NameOf(node);
        string file = graph.File;
        FileFormatException Refuse(string attribute, string why) =>
            OnnxFormatError.Create(file, $"{node.OpType} node '{name}': {attribute} {why}");

        var attributes = new Dictionary<string, AttributeProto>(StringComparer.Ordinal);
        foreach (var a in node.Attribute) attributes[a.Name] = a;

        if (attributes.ContainsKey("clip")) throw Refuse("clip", "is set; PyTorch's cells do not clip (export without clip)");
        if (attributes.ContainsKey("activation_alpha") || attributes.ContainsKey("activation_beta"))
            throw Refuse("activation_alpha/activation_beta", "is set; only PyTorch's activations (no parameters) can be converted");
        if (node.OpType == "LSTM" && attributes.TryGetValue("input_forget", out var inputForget) && inputForget.I != 0)
            throw Refuse("input_forget", $"= {inputForget.I}; PyTorch's LSTM has independent input and forget gates");
        if (node.OpType == "LSTM" && node.Input.Count > 7 && node.Input[7].Length > 0)
            throw Refuse("input P (peepholes)", "is given; PyTorch's LSTM has no peephole connections");
        if (node.OpType == "GRU")
        {
            long lbr = attributes.TryGetValue("linear_before_reset", out var a) ? a.I : 0;
            if (lbr != 1)
                throw Refuse("linear_before_reset", $"= {lbr}; PyTorch's GRU applies the reset gate after the hidden linear map (linear_before_reset = 1)");
        }

        string direction = attributes.TryGetValue("direction", out var dirAttr) ? Encoding.UTF8.GetString(dirAttr.S.Span) : "forward";
        int directions = direction switch
        {
            "forward" => 1,
            "bidirectional" => 2,
            "reverse" => throw Refuse("direction", "= reverse; PyTorch has no reverse-only layer (only forward or bidirectional)"),
            _ => throw Refuse("direction", $"= '{direction}' is not forward, reverse or bidirectional"),
        };
        long layout = attributes.TryGetValue("layout", out var layoutAttr) ? layoutAttr.I : 0;
        if (layout is not (0 or 1)) throw Refuse("layout", $"= {layout} is not 0 or 1");

        var cell = node.OpType switch
        {
            "LSTM" => CheckActivations(attributes, ["Sigmoid", "Tanh", "Tanh"], directions, RnnCellKind.Lstm, Refuse),
            "GRU" => CheckActivations(attributes, ["Sigmoid", "Tanh"], directions, RnnCellKind.Gru, Refuse),
            _ => RnnActivation(attributes, directions, Refuse),
        };

        if (node.Input.Count < 3) throw Refuse("inputs", $"are {node.Input.Count}; X, W and R are required");
        var w = Constant(graph, node.Input[1], "W", Refuse);
        var r = Constant(graph, node.Input[2], "R", Refuse);
        Tensor<float>? b = node.Input.Count > 3 && node.Input[3].Length > 0 ? Constant(graph, node.Input[3], "B", Refuse) : null;

        int gates = cell.GateCount();
        if (r.Rank != 3 || r.Dim(0) != directions || r.Dim(2) < 1 || r.Dim(1) != gates * r.Dim(2))
            throw Refuse("R", $"has shape {r.ShapeString}; expected ({directions}, {gates}·hidden, hidden)");
        int hidden = r.Dim(2);
        if (attributes.TryGetValue("hidden_size", out var hs) && hs.I != hidden)
            throw Refuse("hidden_size", $"= {hs.I}, but R has hidden size {hidden}");
        if (w.Rank != 3 || w.Dim(0) != directions || w.Dim(1) != gates * hidden || w.Dim(2) < 1)
            throw Refuse("W", $"has shape {w.ShapeString}; expected ({directions}, {gates * hidden}, input_size)");
        if (b is not null && (b.Rank != 2 || b.Dim(0) != directions || b.Dim(1) != 2 * gates * hidden))
            throw Refuse("B", $"has shape {b.ShapeString}; expected ({directions}, {2 * gates * hidden})");
        int inputSize = w.Dim(2);

        var source = cell switch { RnnCellKind.Lstm => LstmGateSource, RnnCellKind.Gru => GruGateSource, _ => RnnGateSource };
        var weights = new Tensor<float>[directions][];
        for (int d = 0; d < directions; d++)
        {
            var list = new List<Tensor<float>>
            {
                Reorder(w.Span.Slice(d * gates * hidden * inputSize, gates * hidden * inputSize), source, hidden, inputSize),
                Reorder(r.Span.Slice(d * gates * hidden * hidden, gates * hidden * hidden), source, hidden, hidden),
            };
            if (b is not null)
            {
                var bias = b.Span.Slice(d * 2 * gates * hidden, 2 * gates * hidden);
                list.Add(Reorder(bias[..(gates * hidden)], source, hidden, 1, vector: true));
                list.Add(Reorder(bias[(gates * hidden)..], source, hidden, 1, vector: true));
            }
            weights[d] = [.. list];
        }
        return new OnnxRecurrentNode(node, cell, inputSize, hidden, directions, layout == 1, weights);
    }

    /// <summary>Rearranges gate blocks of <paramref name="rows"/>×<paramref name="columns"/> each into PyTorch's order.</summary>
    private static Tensor<float> Reorder(ReadOnlySpan<float> onnx, int[] source, int rows, int columns, bool vector = false)
    {
        int block = rows * columns;
        var data = new float[source.Length * block];
        for (int g = 0; g < source.Length; g++) onnx.Slice(source[g] * block, block).CopyTo(data.AsSpan(g * block, block));
        return vector ? RnnTensors.Create(data, data.Length) : RnnTensors.Create(data, source.Length * rows, columns);
    }

    private static Tensor<float> Constant(OnnxGraph graph, string value, string input, Func<string, string, FileFormatException> refuse) =>
        graph.TryConstant(value) ?? throw refuse($"input {input} ('{value}')", "is computed at run time; only constant weights can be converted");

    private static RnnCellKind CheckActivations(Dictionary<string, AttributeProto> attributes, string[] defaults, int directions,
        RnnCellKind cell, Func<string, string, FileFormatException> refuse)
    {
        if (!attributes.TryGetValue("activations", out var a)) return cell;
        var given = a.Strings.Select(s => Encoding.UTF8.GetString(s.Span)).ToList();
        var expected = Enumerable.Repeat(defaults, directions).SelectMany(x => x).ToList();
        if (!given.SequenceEqual(expected, StringComparer.OrdinalIgnoreCase))
            throw refuse("activations", $"= [{string.Join(", ", given)}]; PyTorch's {cell.ToModeName()} uses [{string.Join(", ", expected)}]");
        return cell;
    }

    private static RnnCellKind RnnActivation(Dictionary<string, AttributeProto> attributes, int directions, Func<string, string, FileFormatException> refuse)
    {
        if (!attributes.TryGetValue("activations", out var a)) return RnnCellKind.RnnTanh;
        var given = a.Strings.Select(s => Encoding.UTF8.GetString(s.Span)).ToList();
        if (given.Count == directions && given.All(g => g.Equals("Tanh", StringComparison.OrdinalIgnoreCase))) return RnnCellKind.RnnTanh;
        if (given.Count == directions && given.All(g => g.Equals("Relu", StringComparison.OrdinalIgnoreCase))) return RnnCellKind.RnnRelu;
        throw refuse("activations", $"= [{string.Join(", ", given)}]; PyTorch's RNN uses Tanh or Relu, the same in both directions");
    }
}
