using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Simulation;

namespace TIBS.Cases.Web;

/// <summary>
/// <c>definitions simulate &lt;file&gt; [--walks 1000] [--seed N] [--script walk.yaml] [--json]</c>: tries a definition
/// with random (or one scripted) walks; exit code 1 when the definition is invalid or the walks find outcomes never
/// possible, steps never reached or dead paths, so that a definition's repository can gate on it.
/// </summary>
internal static class SimulateCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        string? file = null;
        string? scriptFile = null;
        var walks = 1000;
        var seed = 1;
        var json = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json":
                    json = true;
                    break;
                case "--walks" or "--seed" or "--script" when i + 1 >= args.Length:
                    error.WriteLine($"definitions simulate: {args[i]} needs a value.");
                    return 2;
                case "--walks":
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out walks) || walks is < 1 or > SimulationOptions.MaxWalks)
                    {
                        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"definitions simulate: --walks must be a whole number from 1 to {SimulationOptions.MaxWalks}, not '{args[i]}'."));
                        return 2;
                    }

                    break;
                case "--seed":
                    if (!int.TryParse(args[++i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed))
                    {
                        error.WriteLine($"definitions simulate: --seed must be a whole number, not '{args[i]}'.");
                        return 2;
                    }

                    break;
                case "--script":
                    scriptFile = args[++i];
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal) || file is not null:
                    error.WriteLine($"definitions simulate: unknown argument '{a}'.");
                    return 2;
                default:
                    file = args[i];
                    break;
            }
        }

        if (file is null || !File.Exists(file))
        {
            error.WriteLine(file is null ? "definitions simulate: name a YAML file." : $"{file}: no such file.");
            return 2;
        }

        var check = WorkflowDefinitions.Check(WorkflowDefinitions.ReadFile(file));
        if (!check.IsValid)
        {
            foreach (var e in check.Errors)
            {
                var where = e.Position is { } p ? string.Create(CultureInfo.InvariantCulture, $"({p.Line},{p.Column})") : "";
                error.WriteLine($"{file}{where}: {e}");
            }

            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {check.Errors.Count} problem(s); nothing simulated."));
            return 1;
        }

        ScriptedWalk? script = null;
        if (scriptFile is not null)
        {
            if (!File.Exists(scriptFile))
            {
                error.WriteLine($"{scriptFile}: no such file.");
                return 2;
            }

            (script, var problems) = ScriptedWalk.Parse(await File.ReadAllTextAsync(scriptFile));
            if (script is null)
            {
                foreach (var problem in problems)
                {
                    error.WriteLine($"{scriptFile}: {problem}");
                }

                return 1;
            }
        }

        var report = await WorkflowSimulator.RunAsync(WorkflowPlan.Compile(check.Document!), new SimulationOptions { Walks = walks, Seed = seed, Script = script });
        output.WriteLine(json ? JsonSerializer.Serialize(report, Json) : SimulationText.Format(report));
        return report.HasFindings ? 1 : 0;
    }
}
