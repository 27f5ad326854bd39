namespace RnnNative.Tests.Cli;

/// <summary><c>rnn sample</c>: runs a lecture example end to end, and refuses unknown names and folders in one line.</summary>
public class SampleCommandTests
{
    [Test]
    public void DogsSampleLearnsTheWordFromTheCommandLine()
    {
        var run = CliRunner.Run("sample", "dogs", "--seed", "1");
        Assert.That(run.ExitCode, Is.Zero, run.Err);
        Assert.That(run.Out, Does.Contain("learned: d -> o -> g -> s  (3/3 correct)"));
    }

    [Test]
    public void UnknownSampleIsRejectedWithTheList()
    {
        var run = CliRunner.Run("sample", "cats");
        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.ErrLines, Has.Length.EqualTo(1));
        Assert.That(run.Err, Does.Contain("dogs").And.Contain("vanishing"));
    }

    [Test]
    public void MissingOutputFolderIsRejected()
    {
        var run = CliRunner.Run("sample", "vanishing", "--output-dir", Path.Combine(Path.GetTempPath(), "rnn-no-such-folder-" + Guid.NewGuid()));
        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Err, Does.Contain("--output-dir"));
    }
}
