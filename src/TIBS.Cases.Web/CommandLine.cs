using System.Globalization;
using TIBS.Cases.Web.Infrastructure.Audit;

namespace TIBS.Cases.Web;

/// <summary>Turns known start-up failures into one readable line.</summary>
internal static class StartupError
{
    public static string? Describe(Exception ex) => ex switch
    {
        Microsoft.Extensions.Options.OptionsValidationException o => string.Join(" ", o.Failures),
        TIBS.Cases.Data.Schema.DatabaseStartupException d => d.Message,
        TIBS.Cases.Core.Workflows.DefinitionImportException w => w.Message,
        AggregateException a when a.InnerExceptions.Select(Describe).ToList() is var all && all.TrueForAll(m => m is not null) => string.Join(" ", all),
        _ => null,
    };
}

/// <summary>Commands that run instead of the web server (see README).</summary>
internal static class CommandLine
{
    private const string Usage = """
        Usage:
          definitions validate <file.yaml>...   check workflow definitions; prints every problem with its path, exit code 1 on errors
          definitions translations <file.yaml> [--missing]   how complete each language's translation sidecar (v2.lv.yaml …) is;
                                                --missing lists the texts still in English; exit code 1 when a sidecar cannot be read
          definitions diagram <file.yaml> [--highlight <step>]   print the Mermaid diagram of a definition
          definitions simulate <file.yaml> [--walks 1000] [--seed N] [--script walk.yaml] [--json]   try a definition with random
                                                (or one scripted) walks; exit code 1 when it is invalid or the walks find outcomes
                                                never possible, steps never reached or dead paths
          audit verify [--case <reference>]     check every case's audit trail against the signed checkpoints; exit code 1 on any problem
          audit create-key <file.pem>           make the key that signs audit checkpoints (kept if the file exists); print its public key
          privacy record [--out <file.md>]      print the record of processing activities generated from the Privacy settings
          backup [--out <folder>]               write an encrypted archive of the embedded database, attachments and anchors (Backup:KeyFile)
          backup create-key <file>              make the backup key (kept if the file exists); keep it apart from the backups
          restore <archive> --into <folder> [--anchors <folder>]   restore into an empty data folder; reports success only when
                                                every audit chain and attachment verifies; exit code 1 when refused
          restore --verify                      check the configured database (any provider): every audit chain against the anchors,
                                                every attachment against its SHA-256; exit code 1 on any problem
        """ + "\n" + Infrastructure.DatabaseCommand.UsageLines;

    public static bool IsCommand(string first) => first is "definitions" or "audit" or "privacy" or "backup" or "restore" or "db";

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        // A request for help anywhere prints the usage: it is never taken as a file, a folder or a value (before, "audit
        // create-key --help" made a key file named "--help").
        if (args.Any(a => a is "--help" or "-h" or "-?" or "/?"))
        {
            output.WriteLine(Usage);
            return Task.FromResult(0);
        }

        if (args[0] == "backup")
        {
            return Infrastructure.Backup.BackupCommand.BackupAsync(args[1..], output, error);
        }

        if (args[0] == "restore")
        {
            return Infrastructure.Backup.BackupCommand.RestoreAsync(args[1..], output, error);
        }

        if (args.Length < 2)
        {
            error.WriteLine(Usage);
            return Task.FromResult(2);
        }

        if (args[0] == "audit")
        {
            return AuditCommand.RunAsync(args[1..], output, error);
        }

        if (args[0] == "db")
        {
            return Infrastructure.DatabaseCommand.RunAsync(args[1..], output, error);
        }

        if (args[0] == "privacy")
        {
            return Infrastructure.Privacy.PrivacyCommand.RunAsync(args[1..], output, error);
        }

        if (args[1] == "simulate")
        {
            return SimulateCommand.RunAsync(args[2..], output, error);
        }

        return Task.FromResult(args[1] switch
        {
            "validate" => Validate(args[2..], output, error),
            "diagram" => Diagram(args[2..], output, error),
            "translations" => TranslationsCommand.Run(args[2..], output, error),
            _ => Unknown(args, error),
        });
    }

    private static int Unknown(string[] args, TextWriter error)
    {
        error.WriteLine($"Unknown command: {string.Join(' ', args)}");
        error.WriteLine(Usage);
        return 2;
    }

    private static int Validate(string[] files, TextWriter output, TextWriter error)
    {
        if (files.Length == 0)
        {
            error.WriteLine("definitions validate: name at least one YAML file.");
            return 2;
        }

        var failed = 0;
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                error.WriteLine($"{file}: no such file.");
                failed++;
                continue;
            }

            var check = TIBS.Cases.Workflows.WorkflowDefinitions.CheckFile(file);
            foreach (var w in check.Warnings)
            {
                output.WriteLine($"{w.File ?? file}{Where(w)}: warning: {w}");
            }

            if (check.IsValid)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{file}: valid ({check.Document!.Key} v{check.Document.Version}, {check.Document.Stages.Sum(s => s.Steps.Count)} steps)"));
                continue;
            }

            failed++;
            foreach (var e in check.Errors)
            {
                error.WriteLine($"{e.File ?? file}{Where(e)}: {e}");
            }

            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {check.Errors.Count} problem(s)."));
        }

        return failed == 0 ? 0 : 1;
    }

    internal static string Where(TIBS.Cases.Workflows.Validation.ValidationError e) =>
        e.Position is { } p ? string.Create(CultureInfo.InvariantCulture, $"({p.Line},{p.Column})") : "";

    private static int Diagram(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || !File.Exists(args[0]))
        {
            error.WriteLine(args.Length == 0 ? "definitions diagram: name a YAML file." : $"{args[0]}: no such file.");
            return 2;
        }

        var i = Array.IndexOf(args, "--highlight");
        var highlight = i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var check = TIBS.Cases.Workflows.WorkflowDefinitions.Check(TIBS.Cases.Workflows.WorkflowDefinitions.ReadFile(args[0]));
        if (!check.IsValid)
        {
            foreach (var e in check.Errors)
            {
                error.WriteLine($"{args[0]}: {e}");
            }

            return 1;
        }

        var plan = TIBS.Cases.Workflows.Plans.WorkflowPlan.Compile(check.Document!);
        if (highlight is not null && !plan.Contains(highlight))
        {
            error.WriteLine($"{args[0]}: there is no step or end state '{highlight}' to highlight.");
            return 1;
        }

        output.WriteLine(TIBS.Cases.Workflows.Diagrams.WorkflowDiagram.Mermaid(plan, highlight));
        return 0;
    }
}
