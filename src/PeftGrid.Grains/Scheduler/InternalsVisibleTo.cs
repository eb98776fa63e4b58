using System.Runtime.CompilerServices;

// The scheduler's plain parts (CellTable, LeaseBook, CellDispatcher, ResultSink) are tested directly.
[assembly: InternalsVisibleTo("PeftGrid.Grains.Tests")]
