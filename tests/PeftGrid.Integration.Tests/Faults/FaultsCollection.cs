using Xunit;

namespace PeftGrid.Integration.Tests.Faults;

/// <summary>
/// The fault tests measure timing (re-formation bound, lease expiry, hand-off) with several silo processes on a 2-core machine:
/// they run one after another and after every parallel test collection, never beside other tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultsCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "Faults";
}
