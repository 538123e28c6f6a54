using System.Globalization;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Translations;

namespace TIBS.Cases.Web;

/// <summary>
/// <c>definitions translations &lt;file.yaml&gt; [--missing]</c>: per language, how many of the version's texts its sidecar
/// translates, and with <c>--missing</c> the keys still in English.
/// </summary>
internal static class TranslationsCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var file = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        if (file is null || !File.Exists(file))
        {
            error.WriteLine(file is null ? "definitions translations: name a YAML file." : $"{file}: no such file.");
            return 2;
        }

        var showMissing = args.Contains("--missing", StringComparer.Ordinal);
        var check = WorkflowDefinitions.Check(WorkflowDefinitions.ReadFile(file));
        if (check.Document is null)
        {
            foreach (var e in check.Errors)
            {
                error.WriteLine($"{file}{CommandLine.Where(e)}: {e}");
            }

            return 1;
        }

        var document = check.Document;
        var failed = false;
        var rows = new List<(string Language, string File, TranslationReport? Report)>();
        foreach (var (language, sidecar, load) in WorkflowDefinitions.ReadTranslations(file))
        {
            if (load is { Succeeded: false })
            {
                failed = true;
                foreach (var e in load.Errors)
                {
                    error.WriteLine($"{sidecar}{CommandLine.Where(e)}: {e}");
                }
            }

            var translation = load?.Translation ?? new DefinitionTranslation(language, new Dictionary<string, string>());
            rows.Add((language, sidecar, load is { Succeeded: false } ? null : DefinitionTranslations.Report(document, translation, check.SourceMap, file, sidecar)));
        }

        var total = DefinitionTranslations.TextsOf(document).Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{document.Key} v{document.Version}: {total} texts to translate"));
        output.WriteLine($"{"Language",-14} {"Translated",10} {"Total",6} {"%",5}  File");
        foreach (var (language, sidecar, report) in rows)
        {
            var name = $"{language} {DefinitionTranslations.Name(language)}";
            var present = File.Exists(sidecar) ? Path.GetFileName(sidecar) : $"{Path.GetFileName(sidecar)} (none)";
            output.WriteLine(report is null
                ? $"{name,-14} {"unreadable",10} {total,6} {"",5}  {present}"
                : string.Create(CultureInfo.InvariantCulture, $"{name,-14} {report.Translated,10} {report.Total,6} {report.Percent,4}%  {present}"));
        }

        foreach (var (language, sidecar, report) in rows.Where(r => r.Report is not null))
        {
            foreach (var unknown in report!.Unknown)
            {
                output.WriteLine($"{sidecar}{CommandLine.Where(unknown)}: warning: {unknown}");
            }

            if (showMissing && report.Missing.Count > 0)
            {
                output.WriteLine();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Missing in {language} ({report.Missing.Count}):"));
                foreach (var text in report.Missing)
                {
                    var line = check.SourceMap.Locate(text.SourcePath) is { } p ? string.Create(CultureInfo.InvariantCulture, $" (line {p.Line})") : "";
                    output.WriteLine($"  {text.Key}{line}: {text.English}");
                }
            }
        }

        return failed ? 1 : 0;
    }
}
