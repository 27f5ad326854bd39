using RnnNative.Samples;

namespace RnnNative.Tests.Streaming;

/// <summary>The sensors sample learns to flag spikes and streams hundreds of sensors through the batcher (managed backend).</summary>
[TestFixture]
public class SensorStreamsSampleTests
{
    [Test]
    public void FlagsMostSpikesWithFewFalseAlarms()
    {
        var output = new StringWriter();
        var result = SampleCatalog.Run("sensors", output, new SampleOptions(1, RnnBackends.Managed));
        TestContext.Out.WriteLine(output.ToString());
        Assert.That(result.Metrics["recall"], Is.GreaterThan(0.5));
        Assert.That(result.Metrics["precision"], Is.GreaterThan(0.8));
        Assert.That(output.ToString(), Does.Contain("300 sensors × 40 readings streamed one step at a time"));
    }
}
