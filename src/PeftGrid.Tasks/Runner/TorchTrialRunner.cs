using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Data;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Seq2Seq;
using PeftGrid.Tasks.Text;

namespace PeftGrid.Tasks.Runner;

/// <summary>
/// The <see cref="ITrialRunner"/> of this build: validates a cell (<see cref="TrialPlan"/>) and runs it on a background thread
/// with the executor of its task kind (<see cref="TrialExecutors"/>: GLUE SST-2 / MNLI on MiniLM and XSum / WMT16 en-ro on
/// minilm2minilm, with every PEFT preset, by default). Never throws for a bad cell. Trains on one device per process (<see cref="TorchProcessState"/>).
/// Progress, training-curve points included, is reported about once a second (<see cref="TrialProgressReporter"/>).
/// </summary>
public sealed class TorchTrialRunner : ITrialRunner
{
    /// <summary>
    /// What this build's trainer runs: the catalog's runnable tasks (<see cref="TaskEntry.Runnable"/>: GLUE SST-2 / MNLI with a
    /// <see cref="GlueTask"/> reader, XSum and WMT16 en-ro with <see cref="Seq2SeqTaskSettings"/>) and the catalog models with
    /// bundled weights and the bundled WordPiece-uncased tokenizer that run those tasks' kinds (<see cref="ModelsFor"/>):
    /// <c>minilm</c> for classification, <c>minilm2minilm</c> for seq2seq. Models whose weights live in HF checkpoint folders
    /// (bart-large, mbart-large-cc25, …) and checkpoint paths are not run yet.
    /// </summary>
    public static RunnerCapabilities Supported { get; } = CapabilitiesFor(TaskCatalog.All.Where(t => t.Runnable).ToList());

    /// <summary>The catalog models this build's trainer runs tasks of <paramref name="kind"/> on (bundled weights, bundled
    /// WordPiece-uncased vocabulary): classification → <c>minilm</c>; seq2seq → <c>minilm2minilm</c>.</summary>
    public static IReadOnlyList<string> ModelsFor(TaskKind kind) => ModelCatalog.All
        .Where(m => m.Tokenizer == TokenizerKind.WordPieceUncased && m.Weights == WeightsSource.BundledOnnx && m.Runs(kind))
        .Select(m => m.Name).ToList();

    private static RunnerCapabilities CapabilitiesFor(IReadOnlyList<TaskEntry> tasks) => new()
    {
        Tasks = tasks.Select(t => t.Name).ToList(),
        Models = tasks.Select(t => t.Kind).Distinct().SelectMany(ModelsFor).Distinct().ToList(),
    };

    private readonly string _dataRoot;
    private readonly int? _threads;
    private readonly TrialExecutors _executors;

    /// <summary>Creates a runner reading data from <paramref name="dataRoot"/>.</summary>
    /// <param name="dataRoot">The data root (holding <c>glue/</c>, <c>xsum/</c>, <c>wmt16-ro-en/</c>).</param>
    public TorchTrialRunner(string dataRoot) : this(dataRoot, null) { }

    /// <summary>Creates a runner with a fixed libtorch thread count (null = processor count) and the executors of this build
    /// (<see cref="TrialExecutors.Default"/>) unless <paramref name="executors"/> is given.</summary>
    /// <param name="dataRoot">The data root (holding <c>glue/</c>, <c>xsum/</c>, <c>wmt16-ro-en/</c>).</param>
    /// <param name="threads">libtorch intra-op threads; null = the processor count.</param>
    /// <param name="executors">The executors by task kind; null = <see cref="TrialExecutors.Default"/>.</param>
    public TorchTrialRunner(string dataRoot, int? threads, TrialExecutors? executors = null)
    {
        _dataRoot = dataRoot;
        _threads = threads;
        _executors = executors ?? TrialExecutors.Default;
    }

    /// <inheritdoc />
    public RunnerCapabilities Capabilities => Supported;

    /// <inheritdoc />
    public string? Refusal(TrialSpec spec)
    {
        try
        {
            _executors.For(TrialPlan.Create(spec, _dataRoot).TaskKind);
            return null;
        }
        catch (Exception e)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
    }

    /// <inheritdoc />
    public Task<TrialResult> RunAsync(TrialSpec spec, string device, IProgress<TrialProgress>? progress, CancellationToken cancellationToken)
    {
        return Task.Factory.StartNew(() =>
        {
            var reporter = progress is null ? null : new TrialProgressReporter(progress);
            using var execution = _executors.Execute(spec, _dataRoot, new TrialRunOptions
            {
                Device = device, Threads = _threads, CancellationToken = cancellationToken,
                OnStep = reporter is null ? null : reporter.OnStep,
                OnCurvePoints = reporter is null ? null : reporter.OnCurvePoints,
            });
            reporter?.Flush();
            return execution.Result;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}
