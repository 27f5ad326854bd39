using RnnNative.Interop;

namespace RnnNative.Tests.Validation;

/// <summary>Every backend this build knows, one test fixture each; unavailable ones are ignored with their reason.</summary>
public static class BackendFixtures
{
    public static IEnumerable<TestFixtureData> All() =>
        RnnBackends.All.Select(b => new TestFixtureData(b).SetArgDisplayNames(b.Name));
}
