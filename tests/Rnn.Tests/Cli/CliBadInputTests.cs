using RnnNative.Formats;
using RnnNative.Interop;
using RnnNative.Tests.Formats;

namespace RnnNative.Tests.Cli;

/// <summary>
/// Every kind of bad input gives exit code 2 and exactly one line on stderr that names what is wrong — never a stack
/// trace, never a crash. Valid files are made once; each case breaks one thing.
/// </summary>
public class CliBadInputTests
{
    private static TempFolder _files = null!;

    [OneTimeSetUp]
    public static void MakeFiles()
    {
        _files = new TempFolder();
        RnnModelFile.Save(_files["lstm.safetensors"], RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Lstm, 3, 4), 1));
        RnnModelFile.Save(_files["gru.safetensors"], RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Gru, 3, 4), 1));
        SafetensorsWriter.Write(_files["tanh_bare.safetensors"], RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.RnnTanh, 3, 4), 1).Tensors);
        File.WriteAllBytes(_files["garbage.safetensors"], [.. BitConverter.GetBytes(1L << 40), 1, 2, 3]);
        // Valid tensors, but metadata stating hidden size 2^30: its parameter count overflows.
        var small = RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Lstm, 3, 4), 1);
        SafetensorsWriter.Write(_files["lstm_hidden_2p30.safetensors"], small.Tensors,
            new Dictionary<string, string>(RnnModelFile.MetadataFor(small.Spec)) { [RnnModelFile.HiddenSizeKey] = (1 << 30).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        NpyWriter.Write(_files["x.npy"], RnnTensors.Zeros(5, 2, 3));
        NpyWriter.Write(_files["x_wide.npy"], RnnTensors.Zeros(5, 2, 7));
        NpyWriter.Write(_files["x_2d.npy"], RnnTensors.Zeros(5, 3));
        NpyWriter.Write(_files["y.npy"], RnnTensors.Zeros(5, 2, 4));
        NpyWriter.Write(_files["y_wrong.npy"], RnnTensors.Zeros(5, 2, 5));
        NpyWriter.Write(_files["state.npy"], RnnTensors.Zeros(1, 2, 4));
        NpyWriter.Write(_files["state_wrong.npy"], RnnTensors.Zeros(2, 2, 4));
        NpyWriter.WriteInt32(_files["len_ok.npy"], [5, 3], 2);
        NpyWriter.WriteInt32(_files["len_long.npy"], [6, 3], 2);
        NpyWriter.WriteInt32(_files["len_zero.npy"], [0, 3], 2);
        NpyWriter.WriteInt32(_files["len_count.npy"], [5, 3, 1], 3);
        NpyWriter.WriteInt32(_files["len_2d.npy"], [5, 3], 1, 2);
        NpyWriter.Write(_files["len_float.npy"], RnnTensors.Create([5f, 3f], 2));
        var truncated = File.ReadAllBytes(_files["x.npy"]);
        File.WriteAllBytes(_files["x_truncated.npy"], truncated[..(truncated.Length - 5)]);
        File.WriteAllBytes(_files["x_fortran.npy"], RawFiles.Npy("{'descr': '<f4', 'fortran_order': True, 'shape': (5, 2, 3), }\n", new byte[120]));
    }

    [OneTimeTearDown]
    public static void DeleteFiles() => _files.Dispose();

    /// <summary>A file of the fixture, as a placeholder: test cases are built before the files exist.</summary>
    private static string F(string name) => "@" + name;

    private static string[] Resolve(string[] args) => args.Select(a => a.StartsWith('@') ? _files[a[1..]] : a).ToArray();

    private static string[] Forward(params string[] extra) =>
        ["forward", "--model", F("lstm.safetensors"), "--input", F("x.npy"), "--output", F("out.npy"), "--backend", "managed", .. extra];

    private static string[] Backward(params string[] extra) =>
        ["backward", "--model", F("lstm.safetensors"), "--input", F("x.npy"), "--grad-output", F("y.npy"), "--grad-input", F("dx.npy"),
         "--grad-weights", F("g.safetensors"), "--backend", "managed", .. extra];

    private static void Replace(string[] args, string option, string value) => args[Array.IndexOf(args, option) + 1] = value;

    public static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, string[] args, string expected) => new TestCaseData(args, expected).SetName(name);

        yield return Case("NoCommand", [], "Required command");
        yield return Case("UnknownCommand", ["frobnicate"], "frobnicate");
        yield return Case("UnknownOption", Forward("--frob"), "--frob");
        yield return Case("MissingRequiredOption", ["forward", "--input", F("x.npy"), "--output", F("o.npy")], "--model");
        yield return Case("OptionWithoutValue", Forward("--h0"), "--h0");

        var a = Forward(); Replace(a, "--model", F("missing.safetensors"));
        yield return Case("MissingModelFile", a, "missing.safetensors");
        a = Forward(); Replace(a, "--input", F("missing.npy"));
        yield return Case("MissingInputFile", a, "missing.npy");
        a = Forward(); Replace(a, "--model", F("garbage.safetensors"));
        yield return Case("MalformedModel", a, "garbage.safetensors: header length");
        a = Forward(); Replace(a, "--model", F("lstm_hidden_2p30.safetensors"));
        yield return Case("ModelWhoseSizesOverflowTheParameterCount", a, "sizes are too large");
        a = Forward(); Replace(a, "--model", F("x.npy"));
        yield return Case("NpyGivenAsModel", a, "x.npy");
        a = Forward(); Replace(a, "--input", F("x_truncated.npy"));
        yield return Case("TruncatedInput", a, "x_truncated.npy");
        a = Forward(); Replace(a, "--input", F("x_fortran.npy"));
        yield return Case("FortranOrderInput", a, "Fortran order");
        a = Forward(); Replace(a, "--input", F("lstm.safetensors"));
        yield return Case("SafetensorsGivenAsInput", a, "not a .npy file");

        a = Forward(); Replace(a, "--input", F("x_wide.npy"));
        yield return Case("InputSizeDoesNotFitModel", a, "input_size 3");
        a = Forward(); Replace(a, "--input", F("x_2d.npy"));
        yield return Case("InputNot3D", a, "--input");
        yield return Case("LengthBeyondT", Forward("--lengths", F("len_long.npy")), "lengths[0] = 6");
        yield return Case("LengthZero", Forward("--lengths", F("len_zero.npy")), "lengths[0] = 0");
        yield return Case("LengthsCount", Forward("--lengths", F("len_count.npy")), "one entry per sequence");
        yield return Case("Lengths2D", Forward("--lengths", F("len_2d.npy")), "1-D");
        yield return Case("LengthsAsFloats", Forward("--lengths", F("len_float.npy")), "int32 or int64");
        yield return Case("H0WrongShape", Forward("--h0", F("state_wrong.npy")), "--h0");
        yield return Case("C0WrongShape", Forward("--c0", F("state_wrong.npy")), "--c0");
        a = Forward("--c0", F("state.npy")); Replace(a, "--model", F("gru.safetensors"));
        yield return Case("C0ForGru", a, "no cell state");
        a = Forward("--cn", F("cn.npy")); Replace(a, "--model", F("gru.safetensors"));
        yield return Case("CnForGru", a, "--cn");
        a = Forward(); Replace(a, "--model", F("tanh_bare.safetensors"));
        yield return Case("VanillaRnnWithoutMode", a, "--mode");
        yield return Case("BadMode", Forward("--mode", "transformer"), "transformer");
        yield return Case("OutputFolderMissing", Forward("--hn", Path.Combine(F("nowhere"), "hn.npy")), "does not exist");

        a = Forward(); Replace(a, "--backend", "tpu");
        yield return Case("UnknownBackend", a, "tpu");
        yield return Case("BadPrecision", Forward("--precision", "f64"), "f64");
        yield return Case("PrecisionTheBackendLacks", Forward("--precision", "bf16"), "bf16");

        a = Backward(); Replace(a, "--grad-output", F("y_wrong.npy"));
        yield return Case("GradOutputWrongShape", a, "--grad-output");
        yield return Case("GradHnWrongShape", Backward("--grad-hn", F("state_wrong.npy")), "--grad-hn");
        a = Backward("--grad-c0", F("dc0.npy")); Replace(a, "--model", F("gru.safetensors"));
        yield return Case("GradC0ForGru", a, "--grad-c0");
        a = Backward("--grad-cn", F("state.npy")); Replace(a, "--model", F("gru.safetensors"));
        yield return Case("GradCnForGru", a, "--grad-cn");
        yield return Case("BackwardWithoutGradWeights", ["backward", "--model", F("lstm.safetensors"), "--input", F("x.npy"),
            "--grad-output", F("y.npy"), "--grad-input", F("dx.npy")], "--grad-weights");

        string[] Bench(params string[] extra) =>
            ["bench", "--mode", "lstm", "--input-size", "2", "--hidden-size", "2", "--layers", "1", "--batch", "1", "--seq-len", "1",
             "--seconds", "0.01", "--backend", "managed", .. extra];
        a = Bench(); Replace(a, "--batch", "0");
        yield return Case("BenchZeroBatch", a, "--batch must be at least 1");
        a = Bench(); Replace(a, "--hidden-size", "-3");
        yield return Case("BenchNegativeHidden", a, "--hidden-size");
        a = Bench(); Replace(a, "--seq-len", "abc");
        yield return Case("BenchNotANumber", a, "abc");
        a = Bench(); Replace(a, "--mode", "lstmm");
        yield return Case("BenchBadMode", a, "lstmm");
        a = Bench(); Replace(a, "--seconds", "-1");
        yield return Case("BenchNegativeSeconds", a, "--seconds");
        yield return Case("BenchNegativeThreads", Bench("--threads", "-2"), "--threads");
        yield return Case("BenchMissingSize", ["bench", "--mode", "gru", "--hidden-size", "2", "--layers", "1", "--batch", "1", "--seq-len", "1"], "--input-size");
        yield return Case("DemoBadSeconds", ["demo", "--seconds", "0"], "--seconds");
        yield return Case("ValidateUnknownBackend", ["validate", "--backend", "tpu"], "tpu");
    }

    [TestCaseSource(nameof(Cases))]
    public void BadInputGivesOneLineAndExitCode2(string[] args, string expected)
    {
        var run = CliRunner.Run(Resolve(args));
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Err);
        Assert.That(run.ErrLines, Has.Length.EqualTo(1), run.Err);
        Assert.That(run.Err, Does.StartWith("rnn: "));
        Assert.That(run.Err, Does.Contain(expected));
        Assert.That(run.Err, Does.Not.Contain(" at RnnNative"));
    }

    [TestCase("forward")]
    [TestCase("backward")]
    [TestCase("bench")]
    [TestCase("validate")]
    public void AnUnavailableBackendIsNamedWithItsReason(string command)
    {
        var unavailable = RnnBackends.All.FirstOrDefault(b => !b.Availability.IsAvailable);
        if (unavailable is null) Assert.Ignore("Every backend is available on this machine, so there is no unavailable one to ask for.");
        string[] args = command switch
        {
            "forward" => Forward(),
            "backward" => Backward(),
            "bench" => ["bench", "--mode", "gru", "--input-size", "2", "--hidden-size", "2", "--layers", "1", "--batch", "1", "--seq-len", "1", "--backend", "managed"],
            _ => ["validate", "--backend", "managed"],
        };
        Replace(args, "--backend", unavailable.Name);

        var run = CliRunner.Run(Resolve(args));
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Err);
        Assert.That(run.ErrLines, Has.Length.EqualTo(1));
        Assert.That(run.Err, Does.Contain(unavailable.Name).And.Contain(unavailable.Availability.Reason));
    }

    [Test]
    public void HelpIsNotAnError()
    {
        var run = CliRunner.Run("forward", "--help");
        Assert.That(run.ExitCode, Is.Zero);
        Assert.That(run.Out, Does.Contain("--grad-output").Or.Contain("--model"));
        Assert.That(run.Err, Is.Empty);
    }
}
