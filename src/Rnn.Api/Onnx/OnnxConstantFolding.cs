using RnnNative.Onnx.Protos;
using System.Numerics.Tensors;

namespace RnnNative.Onnx;

/// <summary>
/// Evaluates the rearranging operators that exporters put between an initializer and a recurrent node's W, R and B
/// (PyTorch at low opsets reorders gates with Slice + Concat and adds the direction axis with Unsqueeze). Each
/// result holds at most as many elements as its inputs, so no hostile file can make this allocate more than it holds.
/// Returns null for any operator or form it does not know: the value is then treated as computed at run time.
/// </summary>
internal static class OnnxConstantFolding
{
    public static Tensor<float>? Evaluate(NodeProto node, int opset, Func<string, Tensor<float>?> floats, Func<string, long[]?> ints)
    {
        if (node.Input.Count == 0 || floats(node.Input[0]) is not { } x) return null;
        return node.OpType switch
        {
            "Identity" => x,
            "Cast" => Attr(node, "to") == (int)TensorProto.Types.DataType.Float ? x : null,
            "Unsqueeze" => Axes(node, opset >= 13, ints) is { } axes ? Unsqueeze(x, axes) : null,
            "Squeeze" => Squeeze(x, Axes(node, opset >= 13, ints)),
            "Transpose" => Transpose(x, node.Attribute.FirstOrDefault(a => a.Name == "perm")?.Ints.ToArray()),
            "Reshape" => node.Input.Count == 2 && ints(node.Input[1]) is { } shape ? Reshape(x, shape) : null,
            "Concat" => Concat(node, floats),
            "Slice" => Slice(node, x, opset, ints),
            _ => null,
        };
    }

    private static long? Attr(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I;

    private static long[]? Axes(NodeProto node, bool fromInput, Func<string, long[]?> ints)
    {
        if (fromInput) return node.Input.Count > 1 && node.Input[1].Length > 0 ? ints(node.Input[1]) : null;
        return node.Attribute.FirstOrDefault(a => a.Name == "axes")?.Ints.ToArray();
    }

    private static int? Normalize(long axis, int rank) => axis >= -rank && axis < rank ? (int)(axis < 0 ? axis + rank : axis) : null;

    private static Tensor<float>? Unsqueeze(Tensor<float> x, long[] axes)
    {
        int rank = x.Rank + axes.Length;
        var normalized = axes.Select(a => Normalize(a, rank)).ToList();
        if (normalized.Any(a => a is null) || normalized.Distinct().Count() != normalized.Count) return null;
        var shape = new List<int>();
        int source = 0;
        for (int i = 0; i < rank; i++) shape.Add(normalized.Contains(i) ? 1 : x.Dim(source++));
        return x.WithShape([.. shape]);
    }

    private static Tensor<float>? Squeeze(Tensor<float> x, long[]? axes)
    {
        var normalized = axes is null
            ? Enumerable.Range(0, x.Rank).Where(i => x.Dim(i) == 1).Select(i => (int?)i).ToList()
            : axes.Select(a => Normalize(a, x.Rank)).ToList();
        if (normalized.Any(a => a is null || x.Dim(a.Value) != 1)) return null;
        var drop = normalized.Select(a => a!.Value).ToHashSet();
        return x.WithShape([.. Enumerable.Range(0, x.Rank).Where(i => !drop.Contains(i)).Select(x.Dim)]);
    }

    private static Tensor<float>? Reshape(Tensor<float> x, long[] shape)
    {
        var dims = new int[shape.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = shape[i] == 0 && i < x.Rank ? x.Dim(i) : shape[i];
            if (d == -1)
            {
                if (inferred >= 0) return null;
                inferred = i;
                continue;
            }
            if (d < 1 || d > x.Length) return null;
            dims[i] = (int)d;
            known *= d;
            if (known > x.Length) return null;
        }
        if (inferred >= 0)
        {
            if (x.Length % known != 0) return null;
            dims[inferred] = (int)(x.Length / known);
        }
        else if (known != x.Length) return null;
        return x.WithShape(dims);
    }

    private static Tensor<float>? Transpose(Tensor<float> x, long[]? perm)
    {
        int rank = x.Rank;
        perm ??= [.. Enumerable.Range(0, rank).Reverse().Select(i => (long)i)];
        if (perm.Length != rank || perm.Any(p => p < 0 || p >= rank) || perm.Distinct().Count() != rank) return null;
        var outShape = perm.Select(p => x.Dim((int)p)).ToArray();
        var inStrides = Strides(x.Shape.ToArray());
        var data = new float[x.Length];
        var index = new int[rank];
        for (int flat = 0; flat < data.Length; flat++)
        {
            int source = 0;
            for (int i = 0; i < rank; i++) source += index[i] * inStrides[perm[i]];
            data[flat] = x.Span[source];
            for (int i = rank - 1; i >= 0; i--)
            {
                if (++index[i] < outShape[i]) break;
                index[i] = 0;
            }
        }
        return RnnTensors.Create(data, outShape);
    }

    private static Tensor<float>? Concat(NodeProto node, Func<string, Tensor<float>?> floats)
    {
        var parts = new List<Tensor<float>>();
        foreach (var input in node.Input)
            if (floats(input) is { } t) parts.Add(t);
            else return null;
        int rank = parts[0].Rank;
        if (Attr(node, "axis") is not { } a || Normalize(a, rank) is not { } axis) return null;
        foreach (var p in parts)
            if (p.Rank != rank || Enumerable.Range(0, rank).Any(i => i != axis && p.Dim(i) != parts[0].Dim(i))) return null;
        long total = parts.Sum(p => (long)p.Dim(axis));
        if (total > int.MaxValue) return null;
        var shape = parts[0].Shape.ToArray();
        shape[axis] = (int)total;
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        var data = new float[parts.Sum(p => (long)p.Length)];
        int offset = 0;
        for (int o = 0; o < outer; o++)
            foreach (var p in parts)
            {
                int chunk = p.Length / outer;
                p.Span.Slice(o * chunk, chunk).CopyTo(data.AsSpan(offset, chunk));
                offset += chunk;
            }
        return RnnTensors.Create(data, shape);
    }

    private static Tensor<float>? Slice(NodeProto node, Tensor<float> x, int opset, Func<string, long[]?> ints)
    {
        long[]? starts, ends, axes, steps = null;
        if (opset < 10)
        {
            starts = node.Attribute.FirstOrDefault(a => a.Name == "starts")?.Ints.ToArray();
            ends = node.Attribute.FirstOrDefault(a => a.Name == "ends")?.Ints.ToArray();
            axes = node.Attribute.FirstOrDefault(a => a.Name == "axes")?.Ints.ToArray();
        }
        else
        {
            long[]? Input(int i) => node.Input.Count > i && node.Input[i].Length > 0 ? ints(node.Input[i]) : null;
            starts = Input(1);
            ends = Input(2);
            axes = Input(3);
            steps = Input(4);
        }
        if (starts is null || ends is null || starts.Length != ends.Length) return null;
        axes ??= [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
        if (axes.Length != starts.Length || (steps is not null && steps.Any(s => s != 1))) return null;
        var begin = new int[x.Rank];
        var shape = x.Shape.ToArray();
        for (int k = 0; k < axes.Length; k++)
        {
            if (Normalize(axes[k], x.Rank) is not { } axis) return null;
            long dim = x.Dim(axis);
            long s = Math.Clamp(starts[k] < 0 ? starts[k] + dim : starts[k], 0, dim);
            long e = Math.Clamp(ends[k] < 0 ? ends[k] + dim : ends[k], 0, dim);
            if (e <= s) return null;
            begin[axis] = (int)s;
            shape[axis] = (int)(e - s);
        }
        var strides = Strides(x.Shape.ToArray());
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var data = new float[count];
        var index = new int[x.Rank];
        for (int flat = 0; flat < data.Length; flat++)
        {
            int source = 0;
            for (int i = 0; i < x.Rank; i++) source += (begin[i] + index[i]) * strides[i];
            data[flat] = x.Span[source];
            for (int i = x.Rank - 1; i >= 0; i--)
            {
                if (++index[i] < shape[i]) break;
                index[i] = 0;
            }
        }
        return RnnTensors.Create(data, shape);
    }

    private static int[] Strides(int[] shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }
}
