using Xunit;

namespace PeftGrid.Integration.Tests.Operations;

/// <summary>
/// Operations and security tests that start silo processes and several CLI runs each (probes, secrets): on a 2-core machine they
/// would starve the parallel tests' connect timeouts, so they run one after another and after every parallel test collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SiloProcessCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "SiloProcesses";
}
