using RnnNative.Samples;

namespace RnnNative.Tests.Samples;

/// <summary>The committed demo dataset is exactly what its generator writes, so the two cannot drift apart.</summary>
public class BundledReviewsTests
{
    private static string Committed(string name) => RepositoryFiles.Path("samples", "data", name);

    [Test]
    public void CommittedReviewsEqualTheGenerator()
    {
        var expected = SentimentReviews.JsonLines().ToList();
        var committed = File.ReadAllLines(Committed("reviews.jsonl"));
        if (!committed.SequenceEqual(expected))
        {
            string fresh = Path.Combine(TestContext.CurrentContext.WorkDirectory, "reviews.jsonl");
            File.WriteAllLines(fresh, expected);
            Assert.Fail($"samples/data/reviews.jsonl differs from SentimentReviews.JsonLines(); if the change is intended, copy {fresh} over it.");
        }
    }

    [Test]
    public void CommittedLabelNamesEqualTheGenerator() =>
        Assert.That(File.ReadAllLines(Committed("sentiment-labels.txt")), Is.EqualTo(SentimentReviews.LabelNames));
}
