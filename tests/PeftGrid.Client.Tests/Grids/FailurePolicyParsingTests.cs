using PeftGrid.Client.Grids;
using Xunit;

namespace PeftGrid.Client.Tests.Grids;

public sealed class FailurePolicyParsingTests
{
    private const string Cells = """ "tasks": ["sst2"], "models": ["minilm"], "methods": ["lora-attn"] """;

    [Fact]
    public void MaxInterruptionsIsReadAndDefaultsToThree()
    {
        Assert.Equal(3, GridParser.Parse($$"""{ {{Cells}} }""").Policy.MaxInterruptions);
        var p = GridParser.Parse($$"""{ {{Cells}}, "failurePolicy": { "maxAttempts": 1, "maxInterruptions": 0 } }""").Policy;
        Assert.Equal((1, 60, 0), (p.MaxAttempts, p.LeaseSeconds, p.MaxInterruptions));
    }

    [Fact]
    public void ANegativeMaxInterruptionsIsAOneLineErrorNamingTheField()
    {
        var e = Assert.ThrowsAny<Exception>(() => GridParser.Parse($$"""{ {{Cells}}, "failurePolicy": { "maxInterruptions": -1 } }"""));
        Assert.Contains("$.failurePolicy.maxInterruptions", e.Message);
        Assert.Contains("must be ≥ 0, got -1", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
