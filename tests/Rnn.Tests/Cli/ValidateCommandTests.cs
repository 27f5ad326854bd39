using RnnNative.Cli.Commands;
using RnnNative.Validation;

namespace RnnNative.Tests.Cli;

/// <summary>
/// <c>rnn validate</c>'s contract around the validation grid (a stand-in grid here; the real one is tested with it):
/// the summary line, and exit 0 only when nothing failed.
/// </summary>
[NonParallelizable]
public class ValidateCommandTests
{
    private Func<IRnnBackend, RnnPrecision, bool, TextWriter, ValidationSummary> _saved = ValidateCommand.Grid;

    [SetUp]
    public void SaveGrid() => _saved = ValidateCommand.Grid;

    [TearDown]
    public void RestoreGrid() => ValidateCommand.Grid = _saved;

    [Test]
    public void PassesTheChoicesToTheGridAndExitsZeroWhenNothingFailed()
    {
        (IRnnBackend Backend, RnnPrecision Precision, bool Quick)? seen = null;
        ValidateCommand.Grid = (backend, precision, quick, output) =>
        {
            seen = (backend, precision, quick);
            output.WriteLine("group lstm: 5 passed");
            return new ValidationSummary(5, 0);
        };
        var run = CliRunner.Run("validate", "--backend", "managed", "--quick");
        Assert.That(run.ExitCode, Is.Zero, run.Err);
        Assert.That(seen, Is.Not.Null);
        Assert.That(seen!.Value.Backend.Name, Is.EqualTo("managed"));
        Assert.That(seen.Value.Precision, Is.EqualTo(RnnPrecision.F32));
        Assert.That(seen.Value.Quick, Is.True);
        var lines = run.Out.TrimEnd().Split('\n');
        Assert.That(lines, Does.Contain("group lstm: 5 passed"));
        Assert.That(lines[^1], Is.EqualTo("5 passed, 0 failed"));
    }

    [Test]
    public void ExitsNonZeroWhenSomethingFailed()
    {
        ValidateCommand.Grid = (_, _, _, _) => new ValidationSummary(3, 2);
        var run = CliRunner.Run("validate", "--backend", "managed");
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Out.TrimEnd().Split('\n')[^1], Is.EqualTo("3 passed, 2 failed"));
    }

    [Test]
    public void RefusedCasesAreCountedInTheClosingLineAndDoNotFailTheRun()
    {
        ValidateCommand.Grid = (_, _, _, _) => new ValidationSummary(7, 0, 2);
        var run = CliRunner.Run("validate", "--backend", "managed");
        Assert.That(run.ExitCode, Is.Zero, run.Err);
        Assert.That(run.Out.TrimEnd().Split('\n')[^1], Is.EqualTo("7 passed, 0 failed, 2 refused"));
    }
}
