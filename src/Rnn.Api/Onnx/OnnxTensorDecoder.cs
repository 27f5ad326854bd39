using System.Buffers.Binary;
using RnnNative.Formats;
using RnnNative.Onnx.Protos;
using System.Numerics.Tensors;

namespace RnnNative.Onnx;

/// <summary>Turns an ONNX float tensor (raw_data or float_data) into a <see cref="Tensor{T}"/>, checking its size against its dims.</summary>
internal static class OnnxTensorDecoder
{
    private const int FloatType = (int)TensorProto.Types.DataType.Float;

    private const int Int64Type = (int)TensorProto.Types.DataType.Int64;
    private const int Int32Type = (int)TensorProto.Types.DataType.Int32;

    public static bool IsInteger(TensorProto proto) => proto.DataType is Int64Type or Int32Type;

    public static Tensor<float> Decode(TensorProto proto, string what, string file)
    {
        if (proto.DataType != FloatType)
            throw OnnxFormatError.Create(file, $"{what} has ONNX data type {proto.DataType}; only float32 (1) weights are supported");
        var (shape, count) = Shape(proto, what, file);
        return RnnTensors.Create(Floats(proto, count, what, file), shape);
    }

    /// <summary>An int64 or int32 tensor (indices, axes, shapes) as longs.</summary>
    public static long[] DecodeIntegers(TensorProto proto, string what, string file)
    {
        var (_, count) = Shape(proto, what, file);
        int size = proto.DataType == Int64Type ? sizeof(long) : sizeof(int);
        if (!proto.RawData.IsEmpty)
        {
            if (proto.RawData.Length != count * size)
                throw OnnxFormatError.Create(file, $"{what} has {proto.RawData.Length} bytes of raw_data; dims ({string.Join(", ", proto.Dims)}) need {count * size}");
            var bytes = proto.RawData.Span;
            var values = new long[count];
            for (int i = 0; i < values.Length; i++)
                values[i] = size == sizeof(long)
                    ? BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(i * size, size))
                    : BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(i * size, size));
            return values;
        }
        var list = proto.DataType == Int64Type ? proto.Int64Data.ToArray() : proto.Int32Data.Select(v => (long)v).ToArray();
        if (list.Length != count)
            throw OnnxFormatError.Create(file, $"{what} has {list.Length} values; dims ({string.Join(", ", proto.Dims)}) need {count}");
        return list;
    }

    private static (int[] Shape, long Count) Shape(TensorProto proto, string what, string file)
    {
        if (proto.DataLocation == TensorProto.Types.DataLocation.External)
            throw OnnxFormatError.Create(file, $"{what} is stored in an external data file; export with the weights inside the model");
        var shape = new int[proto.Dims.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = proto.Dims[i];
            if (d < 0 || d > int.MaxValue) throw OnnxFormatError.Create(file, $"{what} has dimension {d}");
            shape[i] = (int)d;
            count *= d;
            // The data is already in memory, so no honest tensor can hold more elements than the file has bytes.
            if (count > int.MaxValue) throw OnnxFormatError.Create(file, $"{what} has dims ({string.Join(", ", proto.Dims)}), more elements than any file holds");
        }
        return (shape, count);
    }

    private static float[] Floats(TensorProto proto, long count, string what, string file)
    {
        float[] data;
        if (!proto.RawData.IsEmpty)
        {
            if (proto.RawData.Length != count * sizeof(float))
                throw OnnxFormatError.Create(file, $"{what} has {proto.RawData.Length} bytes of raw_data; dims ({string.Join(", ", proto.Dims)}) need {count * sizeof(float)}");
            data = new float[count];
            var bytes = proto.RawData.Span;
            for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float), sizeof(float)));
        }
        else
        {
            if (proto.FloatData.Count != count)
                throw OnnxFormatError.Create(file, $"{what} has {proto.FloatData.Count} float_data values; dims ({string.Join(", ", proto.Dims)}) need {count}");
            data = [.. proto.FloatData];
        }
        return data;
    }
}
