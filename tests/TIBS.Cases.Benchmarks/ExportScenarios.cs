using System.Diagnostics;
using System.Globalization;
using ClosedXML.Excel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Exports;
using TIBS.Cases.Core.Exports.Dossier;
using TIBS.Cases.Data.Audit;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.Web.Exports;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// <c>dossier</c>: a case with 1,000 events (opened through the engine, its first steps completed, then notes appended as
/// records of the chain); the dossier read (<see cref="GetDossier"/>: every event, the whole chain verified) and laid out
/// as PDF, --runs N (5) times after one warm-up: median, min and max, pages and size.
/// <c>export</c>: --rows N (100,000) rows shaped like step durations (11 columns: text, dates, a decimal, yes/no), streamed
/// through the CSV and the XLSX writer into a sink that only counts bytes, and for comparison through ClosedXML 0.95.4
/// (which builds the workbook in memory); each at N/10 and N rows: time, bytes allocated, and the peak of the managed heap
/// and of the process's working set while it ran, sampled every 5 ms.
/// </summary>
internal static class ExportScenarios
{
    public static async Task<int> DossierAsync(BenchmarkOptions options)
    {
        await using var database = await BenchmarkDatabase.CreateAsync(options.Provider, options.Connection);
        await new SchemaMigrator(database.Factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(TimeSpan.Zero);
        var env = await BenchEnvironment.CreateAsync(database.Factory);
        var id = await env.OpenCaseAsync();
        var record = (await env.Cases.GetAsync(id))!;
        for (var n = record.AuditCount; n < 1000; n++)
        {
            var body = $"{{\"body\":\"Call {n} with Łukasz Żółkiewski and Kārlis Bērziņš about the pilot in Šiauliai and Tõrva.\"}}";
            await env.Cases.AppendSystemRecordAsync(id, new SystemRecord(CaseEventKinds.NoteAdded, null, body, DateTimeOffset.UtcNow));
        }

        var anchors = Path.Combine(Path.GetTempPath(), "tibs-bench-anchors-" + Guid.NewGuid().ToString("N"));
        using var keys = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);
        var reference = new ReferenceDataStore(database.Factory);
        var getDossier = new GetDossier(
            new CaseReader(env.Cases, env.Companies, env.Catalog, TimeProvider.System), env.Companies, env.Users,
            new CaseTimeline(reference, env.Companies),
            new AuditVerifier(env.Cases, new AuditLedger(database.Factory), new AnchorFolderLog(anchors), keys),
            env.Service.Handler<IEnumerable<IDossierSection>>(), TimeProvider.System);

        var times = new List<double>();
        var (pages, bytes, events) = (0, 0L, 0);
        for (var run = 0; run <= options.Runs; run++)
        {
            var watch = Stopwatch.StartNew();
            var dossier = await getDossier.HandleAsync(id, env.Coordinator) ?? throw new InvalidOperationException("The case was not found.");
            using var pdf = DossierPdf.Render(dossier);
            var pageCount = pdf.PageCount;
            using var buffer = new MemoryStream();
            pdf.Save(buffer, closeStream: false);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            if (run > 0)
            {
                times.Add(elapsed);
            }

            (pages, bytes, events) = (pageCount, buffer.Length, (await env.Cases.GetAsync(id))!.AuditCount);
        }

        times.Sort();
        Console.WriteLine(FormattableString.Invariant(
            $"summary dossier {options.Provider.ToString().ToLowerInvariant()}: {events} events, {pages} pages, {bytes / 1024.0:F0} KB; read + verify + PDF median {Stats.Percentile(times, 50):F0} ms (min {times[0]:F0}, max {times[^1]:F0}) over {times.Count} runs after 1 warm-up"));
        return 0;
    }

    public static async Task<int> ExportAsync(string[] args)
    {
        var i = Array.IndexOf(args, "--rows");
        var rows = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 100_000;
        var writers = new (string Name, Func<ExportTable, Stream, Task> Write)[]
        {
            ("CSV (CsvHelper)", (t, s) => CsvExportWriter.WriteAsync(t, s)),
            ("XLSX (MiniExcel)", (t, s) => XlsxExportWriter.WriteAsync(t, s)),
            ("XLSX (ClosedXML 0.95.4, for comparison)", ClosedXmlAsync),
        };
        Console.WriteLine("  writer                                      rows      ms   MB out  MB allocated  peak heap MB  peak working set MB");
        foreach (var (name, write) in writers)
        {
            foreach (var count in new[] { rows / 10, rows })
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                using var peak = new PeakSampler();
                var sink = new CountingStream();
                var watch = Stopwatch.StartNew();
                await write(new ExportTable("bench", ExportStepDurations.Columns, Rows(count)), sink);
                var elapsed = watch.Elapsed.TotalMilliseconds;
                var (heap, workingSet) = peak.Stop();
                var mb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / 1024.0;
                Console.WriteLine(FormattableString.Invariant(
                    $"  {name,-42} {count,7} {elapsed,7:F0} {sink.Length / 1024.0 / 1024.0,8:F1} {mb,13:F0} {heap / 1024.0 / 1024.0,13:F0} {workingSet / 1024.0 / 1024.0,20:F0}"));
            }
        }

        return 0;
    }

    /// <summary>Rows like step durations: a reference, a title with diacritics, dates, days in step, yes/no.</summary>
    private static async IAsyncEnumerable<object?[]> Rows(int count)
    {
        var start = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
        for (var n = 0; n < count; n++)
        {
            if (n % 1000 == 0)
            {
                await Task.Yield();
            }

            var entered = start.AddHours(n % 5000);
            var left = entered.AddDays(n % 40).AddHours(3);
            yield return
            [
                $"LV008-2026-{n / 8:D5}", $"Kopīga stratēģija {n / 8} — Żółw Łąka", "Vidzeme", "SME Joint Smart Strategy v3", "Needs assessment",
                entered, n % 8 == 7 ? null : left, ExportStepDurations.DaysBetween(entered, left), entered.AddDays(10), n % 40 > 10, n % 17 == 0,
            ];
        }
    }

    /// <summary>The same table through ClosedXML 0.95.4, which keeps every cell of the workbook in memory until it saves.</summary>
    private static async Task ClosedXmlAsync(ExportTable table, Stream destination)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("bench");
        for (var c = 0; c < table.Columns.Count; c++)
        {
            sheet.Cell(1, c + 1).Value = table.Columns[c].Header;
        }

        var r = 2;
        await foreach (var row in table.Rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                sheet.Cell(r, c + 1).Value = ExportCells.XlsxValue(row[c]);
            }

            r++;
        }

        sheet.SheetView.FreezeRows(1);
        sheet.RangeUsed().SetAutoFilter();
        workbook.SaveAs(destination);
    }

    /// <summary>Samples the managed heap and the process's working set every 5 ms and keeps their peaks.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly Timer timer;
        private long heap;
        private long workingSet;

        public PeakSampler() => timer = new Timer(_ => Sample(), null, 0, 5);

        public (long Heap, long WorkingSet) Stop()
        {
            timer.Change(Timeout.Infinite, Timeout.Infinite);
            Sample();
            return (Interlocked.Read(ref heap), Interlocked.Read(ref workingSet));
        }

        public void Dispose() => timer.Dispose();

        private void Sample()
        {
            var h = GC.GetTotalMemory(forceFullCollection: false);
            using var process = Process.GetCurrentProcess();
            var ws = process.WorkingSet64;
            if (h > Interlocked.Read(ref heap))
            {
                Interlocked.Exchange(ref heap, h);
            }

            if (ws > Interlocked.Read(ref workingSet))
            {
                Interlocked.Exchange(ref workingSet, ws);
            }
        }
    }

    /// <summary>A write-only destination that counts bytes and keeps none, like a response body to a fast client.</summary>
    private sealed class CountingStream : Stream
    {
        private long length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => length;
        public override long Position { get => length; set => throw new NotSupportedException(); }
        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => length += buffer.Length;
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            length += count;
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
