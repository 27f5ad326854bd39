using RnnNative.Interop.OneDnn;
using RnnNative.Managed;
using RnnNative.Validation;
using static RnnNative.Tests.OneDnn.OneDnnTestSupport;

namespace RnnNative.Tests.OneDnn;

/// <summary>
/// The oneDNN tuning in <see cref="RnnExecutorOptions"/> (chunk length, direction parallelism, int8 batch split,
/// primitive-cache bound) reaches the shim's executor, where each choice changes how a call runs and never its result;
/// a value out of range is refused with the option's name, by the options record and, past it, by the shim.
/// </summary>
public unsafe class OneDnnExecutorTuningTests
{
    private static readonly RnnSpec Unidirectional = new(RnnCellKind.Lstm, 5, 7, 3);
    private static readonly RnnSpec Bidirectional = new(RnnCellKind.Gru, 5, 7, 2, bidirectional: true);

    [SetUp]
    public void Setup() => RequireBackend();

    private static void AssertMatchesReference(RnnSpec spec, RnnExecutorOptions options, int seqLen, int[] lengths, string what)
    {
        var parameters = RnnParameters.InitializeUniform(spec, seed: 31);
        var input = RandomInput(spec, new Random(32), seqLen, lengths.Length, lengths, withStates: true, batchFirst: false);
        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        using var exec = OneDnnBackend.Instance.CreateExecutor(parameters, options);
        using var expected = reference.Forward(input);
        using var actual = exec.Forward(input);
        TensorAssert.Close(actual.Output, expected.Output, TensorAssert.F32, $"{what}: y");
        TensorAssert.Close(actual.Hidden, expected.Hidden, TensorAssert.F32, $"{what}: h_n");
        TensorAssert.Close(actual.Cell, expected.Cell, TensorAssert.F32, $"{what}: c_n");
    }

    // Layer-major (0), chunks of 4 and of 1 step (many chunk boundaries inside every length) and the default.
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(4)]
    [TestCase(null)]
    public void EveryChunkLengthMatchesTheReference(int? chunkSteps) =>
        AssertMatchesReference(Unidirectional, new RnnExecutorOptions { ChunkSteps = chunkSteps }, 23, [23, 9, 1, 17, 4],
            $"ChunkSteps {chunkSteps?.ToString() ?? "null"}");

    [TestCase(true, 1)]
    [TestCase(true, 2)]
    [TestCase(false, 2)]
    [TestCase(null, 2)]
    public void EveryDirectionChoiceMatchesTheReference(bool? parallel, int threads) =>
        AssertMatchesReference(Bidirectional, new RnnExecutorOptions(Threads: threads) { ParallelDirections = parallel }, 11,
            [11, 3, 1, 8], $"ParallelDirections {parallel?.ToString() ?? "null"}, {threads} threads");

    // A bound of one primitive evicts at almost every call: results stay right while shapes come and go.
    [Test]
    public void ACacheOfOnePrimitiveStillGivesTheReferenceResults()
    {
        var spec = Unidirectional;
        var parameters = RnnParameters.InitializeUniform(spec, seed: 33);
        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        using var exec = OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions { PrimitiveCacheCapacity = 1 });
        var rng = new Random(34);
        foreach (int[] lengths in new[] { new[] { 6, 2 }, [3], [6, 5, 1], [6, 2] })
        {
            var input = RandomInput(spec, rng, 6, lengths.Length, lengths, withStates: false, batchFirst: true);
            using var expected = reference.Forward(input);
            using var actual = exec.Forward(input);
            TensorAssert.Close(actual.Output, expected.Output, TensorAssert.F32, $"batch {lengths.Length}: y");
        }
    }

    // int8 accumulates exactly (s32): the whole batch on 2 threads equals, bit for bit, the split one and 1 thread.
    [Test]
    public void Int8WithAndWithoutTheBatchSplitGiveIdenticalResults()
    {
        var inputs = new ValidationCase("t01", RnnCellKind.Lstm, 2, false, 8, 12, 9, 6, LengthPattern.DistinctUnsorted, true, true,
            true, RnnMode.Inference, 35).CreateInputs();
        var quantization = Int8Calibration.Calibrate(inputs.Parameters, inputs.Input);
        RnnExecutor Create(int threads, bool split) => OneDnnBackend.Instance.CreateExecutor(inputs.Parameters,
            new RnnExecutorOptions(RnnPrecision.Int8, threads, Quantization: quantization) { Int8BatchSplit = split });
        using var one = Create(1, split: true);
        using var split = Create(2, split: true);
        using var whole = Create(2, split: false);
        using var want = one.Forward(inputs.Input);
        foreach (var (exec, what) in new[] { (split, "split"), (whole, "unsplit") })
        {
            using var got = exec.Forward(inputs.Input);
            Assert.That(got.Output.Span.ToArray(), Is.EqualTo(want.Output.Span.ToArray()), $"{what}: y");
            Assert.That(got.Hidden.Span.ToArray(), Is.EqualTo(want.Hidden.Span.ToArray()), $"{what}: h_n");
        }
    }

    [Test]
    public void TheNativeDescriptionCarriesEachOption()
    {
        var chosen = NativeModelDesc.From(Unidirectional, new RnnExecutorOptions
        {
            ChunkSteps = 0, ParallelDirections = false, Int8BatchSplit = false, PrimitiveCacheCapacity = 9,
        });
        Assert.That((chosen.ChunkSteps, chosen.ParallelDirections, chosen.Int8BatchSplit, chosen.PrimitiveCacheCapacity),
            Is.EqualTo((-1, -1, -1, 9)));
        var defaults = NativeModelDesc.From(Unidirectional, RnnExecutorOptions.Default);
        Assert.That((defaults.ChunkSteps, defaults.ParallelDirections, defaults.Int8BatchSplit, defaults.PrimitiveCacheCapacity),
            Is.EqualTo((0, 0, 1, 0)));
        var on = NativeModelDesc.From(Unidirectional, new RnnExecutorOptions { ChunkSteps = 5, ParallelDirections = true });
        Assert.That((on.ChunkSteps, on.ParallelDirections), Is.EqualTo((5, 1)));
    }

    [Test]
    public void OptionsOutOfRangeAreRefusedWithTheirName()
    {
        Assert.That(() => new RnnExecutorOptions { ChunkSteps = -1 },
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("ChunkSteps"));
        Assert.That(() => new RnnExecutorOptions { ChunkSteps = RnnExecutorOptions.MaxChunkSteps + 1 },
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("ChunkSteps"));
        Assert.That(() => new RnnExecutorOptions { PrimitiveCacheCapacity = 0 },
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("PrimitiveCacheCapacity"));
        Assert.That(() => new RnnExecutorOptions { PrimitiveCacheCapacity = RnnExecutorOptions.MaxPrimitiveCacheCapacity + 1 },
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("PrimitiveCacheCapacity"));
        Assert.That(new RnnExecutorOptions { ChunkSteps = RnnExecutorOptions.MaxChunkSteps, PrimitiveCacheCapacity = 1 }.ChunkSteps,
            Is.EqualTo(RnnExecutorOptions.MaxChunkSteps));
    }

    // Past the managed checks, the shim refuses each field by name: the fields sit where the shim reads them.
    [TestCase("chunk_steps", -2)]
    [TestCase("chunk_steps", (1 << 20) + 1)]
    [TestCase("parallel_directions", 2)]
    [TestCase("int8_batch_split", -2)]
    [TestCase("primitive_cache_capacity", -1)]
    [TestCase("primitive_cache_capacity", 65537)]
    public void TheShimRefusesEachFieldOutOfRangeByName(string field, int value)
    {
        var flat = FlatParameterLayout.Flatten(RnnParameters.InitializeUniform(Unidirectional, 1));
        var desc = NativeModelDesc.From(Unidirectional, RnnExecutorOptions.Default);
        desc = field switch
        {
            "chunk_steps" => desc with { ChunkSteps = value },
            "parallel_directions" => desc with { ParallelDirections = value },
            "int8_batch_split" => desc with { Int8BatchSplit = value },
            _ => desc with { PrimitiveCacheCapacity = value },
        };
        NativeStatus status;
        OneDnnExecutorHandle handle;
        fixed (float* p = flat) status = OneDnnNative.ExecutorCreate(&desc, p, flat.Length, out handle);
        using (handle) Assert.That(status, Is.EqualTo(NativeStatus.InvalidArgument));
        Assert.That(OneDnnNative.LastError(), Does.Contain(field).And.Contain(value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
