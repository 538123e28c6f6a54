using System.Globalization;
using TIBS.Cases.Workflows.Localization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TIBS.Cases.Workflows.Simulation;

/// <summary>One entry of a scripted walk: an outcome of the current step or a case action, with optional values and time.</summary>
public sealed record ScriptedEntry
{
    /// <summary>The outcome of the current step to take (or null with <see cref="Action"/>).</summary>
    public string? Outcome { get; init; }

    /// <summary>The case action to apply (<c>hold</c>, <c>resume</c>, <c>withdraw</c>, …).</summary>
    public string? Action { get; init; }

    /// <summary>Form values by field key (several for multi-valued fields; <c>table[0].column</c> for table cells).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Days spent before the entry is taken; by default the step's due period (or the time a <c>not-before</c> asks).</summary>
    public double? Days { get; init; }

    public string? Reason { get; init; }
}

/// <summary>
/// A walk written down, in YAML or JSON: a list of entries, or <c>walk:</c> with that list. Each entry is
/// <c>outcome: key</c> or <c>action: key</c>, with optional <c>values: {field: value or [values]}</c>, <c>days: n</c>
/// and <c>reason: text</c>. Conditions on case data (partners, check-ins, findings) are simulated as met; form
/// conditions are decided on the given values, with any other required field filled with generated data.
/// </summary>
public sealed record ScriptedWalk(IReadOnlyList<ScriptedEntry> Entries)
{
    /// <summary>The most entries one script may have.</summary>
    public const int MaxEntries = 1000;

    /// <summary>Reads a script; the problems say which entry and what is wrong.</summary>
    public static (ScriptedWalk? Walk, IReadOnlyList<string> Problems) Parse(string text)
    {
        var problems = new List<string>();
        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text ?? ""));
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            return (null, [Localized.Format("The scripted walk is not valid YAML or JSON (line {0}): {1}", e.Start.Line, e.Message)]);
        }

        if (root is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("walk"), out var walk))
        {
            root = walk;
        }

        if (root is not YamlSequenceNode list || list.Children.Count == 0)
        {
            return (null, [Localized.Text("The scripted walk must be a list of entries such as '- outcome: assessed' (or 'walk:' with that list).")]);
        }

        if (list.Children.Count > MaxEntries)
        {
            return (null, [Localized.Format("The scripted walk has {0} entries; at most {1} are allowed.", list.Children.Count, MaxEntries)]);
        }

        var entries = new List<ScriptedEntry>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var (number, line) = (i + 1, list.Children[i].Start.Line);
            if (list.Children[i] is not YamlMappingNode entry)
            {
                problems.Add(Localized.Format("Entry {0} (line {1}): write 'outcome: <key>' or 'action: <key>'.", number, line));
                continue;
            }

            string? Text(string key) => entry.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
            var unknown = entry.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).Where(k => k is not ("outcome" or "action" or "values" or "days" or "reason")).ToList();
            if (unknown.Count > 0)
            {
                problems.Add(Localized.Format("Entry {0} (line {1}): unknown key '{2}'; an entry has outcome or action, values, days and reason.", number, line, unknown[0]));
            }

            var outcome = Text("outcome");
            var action = Text("action");
            if (string.IsNullOrWhiteSpace(outcome) == string.IsNullOrWhiteSpace(action))
            {
                problems.Add(Localized.Format("Entry {0} (line {1}): give either 'outcome' or 'action', not both or neither.", number, line));
            }

            double? days = null;
            if (Text("days") is { } d)
            {
                if (double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && n <= 3660)
                {
                    days = n;
                }
                else
                {
                    problems.Add(Localized.Format("Entry {0} (line {1}): days must be a number from 0 to 3660, not '{2}'.", number, line, d));
                }
            }

            var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (entry.Children.TryGetValue(new YamlScalarNode("values"), out var v))
            {
                if (v is not YamlMappingNode valueMap)
                {
                    problems.Add(Localized.Format("Entry {0} (line {1}): values must be a map of field keys to values.", number, line));
                }
                else
                {
                    foreach (var (key, value) in valueMap.Children)
                    {
                        IReadOnlyList<string>? texts = value switch
                        {
                            YamlScalarNode s => [s.Value ?? ""],
                            YamlSequenceNode seq when seq.Children.All(c => c is YamlScalarNode) => [.. seq.Children.Cast<YamlScalarNode>().Select(s => s.Value ?? "")],
                            _ => null,
                        };
                        if (texts is null)
                        {
                            problems.Add(Localized.Format("Entry {0} (line {1}): the value of '{2}' must be a text or a list of texts.", number, line, key));
                        }
                        else
                        {
                            values[((YamlScalarNode)key).Value ?? ""] = texts;
                        }
                    }
                }
            }

            entries.Add(new ScriptedEntry { Outcome = outcome, Action = action, Days = days, Values = values, Reason = Text("reason") });
        }

        return problems.Count > 0 ? (null, problems) : (new ScriptedWalk(entries), []);
    }
}
