// Tests seed the global torch RNG: run them one at a time so seeds and results are deterministic.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
