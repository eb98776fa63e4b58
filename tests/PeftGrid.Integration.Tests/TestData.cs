using PeftGrid.Tasks.Data;

namespace PeftGrid.Integration.Tests;

/// <summary>The real data root (../shared/data beside the checkout, or $PEFTGRID_DATA), resolved as the CLI does.</summary>
public static class TestData
{
    public static string Root => DataRoot.Resolve();
}
