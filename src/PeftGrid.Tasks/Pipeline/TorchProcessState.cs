namespace PeftGrid.Tasks.Pipeline;

/// <summary>
/// The torch state a trial cannot own, and therefore the rule of one trial at a time per process. What TorchSharp 0.107 allows:
/// <c>torch.Generator</c> objects exist (<c>new Generator(seed, device)</c>) and <c>torch.rand</c>/<c>randn</c>/<c>randperm</c>,
/// <c>Tensor.bernoulli_</c>, <c>nn.init.normal_</c>/<c>uniform_</c>/<c>trunc_normal_</c> accept one; but <c>nn.Dropout</c> /
/// <c>nn.functional.dropout</c> (as in libtorch itself, pytorch/pytorch#76580), <c>nn.init.kaiming_uniform_</c>/<c>xavier_*</c> and
/// the default initialization inside <c>nn.Linear</c>/<c>nn.Embedding</c> constructors take none: they draw from the device's
/// default generator. The CPU default generator is process-global; each CUDA device has its own, but TorchSharp can seed them only
/// all at once (<c>torch.manual_seed</c>, <c>torch.cuda.manual_seed_all</c>) or the current device's (<c>torch.cuda.manual_seed</c>,
/// with no <c>set_device</c> to choose it), and the intra-op thread count (<c>torch.set_num_threads</c>) is process-global too.
/// Two trials running at once would reseed and interleave each other's dropout and init draws, breaking "same seed, same metrics".
/// So a trial seeds the default generators and holds <see cref="Gate"/> from data loading to its last evaluation, and a silo runs
/// the torch runner on <see cref="DevicesPerProcess"/> device (enforced at startup), one silo process per device.
/// </summary>
public static class TorchProcessState
{
    /// <summary>Devices one process can train on at once without breaking reproducibility: 1 (see the type's summary).</summary>
    public const int DevicesPerProcess = 1;

    /// <summary>Held by a trial while it uses torch's process-global state (seeding, init, dropout, thread count). In a silo it
    /// never waits (one device, one worker); in-process callers (tests, the CLI) are serialized by it.</summary>
    public static Lock Gate { get; } = new();
}
