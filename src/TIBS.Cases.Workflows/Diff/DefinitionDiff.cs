using System.Globalization;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Yaml;
using YamlDotNet.RepresentationModel;

namespace TIBS.Cases.Workflows.Diff;

/// <summary>Whether a part of a definition was added, removed or changed between two versions.</summary>
public enum ChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>
/// One difference between two versions of a definition, in words: <see cref="Where"/> names the part (for example
/// <c>stage “Partner search” › step “Find partners” › outcome “Agreed”</c>), <see cref="What"/> the kind of part or the
/// property that changed, <see cref="Before"/> and <see cref="After"/> the values (a whole part as YAML when it was
/// added or removed). <see cref="Path"/> locates it by keys (<c>stages[partner-search].steps[find].outcomes[agreed]</c>).
/// </summary>
public sealed record DefinitionChange(ChangeKind Kind, string Path, string Where, string What, string? Before, string? After)
{
    /// <summary>The change as one sentence, e.g. <c>Field “Budget” added to step “Assess needs”.</c></summary>
    public string Sentence => Kind switch
    {
        ChangeKind.Added when Where.Length == 0 => Localized.Format("{0} added.", Capitalize(What)),
        ChangeKind.Added => Localized.Format("{0} added to {1}.", Capitalize(What), Where),
        ChangeKind.Removed when Where.Length == 0 => Localized.Format("{0} removed.", Capitalize(What)),
        ChangeKind.Removed => Localized.Format("{0} removed from {1}.", Capitalize(What), Where),
        _ when Where.Length == 0 => Localized.Format("{0} changed from {1} to {2}.", Capitalize(What), Quote(Before), Quote(After)),
        _ => Localized.Format("{0} of {1} changed from {2} to {3}.", Capitalize(What), Where, Quote(Before), Quote(After)),
    };

    private static string Quote(string? value) => value is null ? Localized.Text("nothing") : value.Contains('\n', StringComparison.Ordinal) ? Localized.Text("the text shown") : $"“{value}”";

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>
/// The structured difference between two versions of a definition. It compares the documents as the writer puts them
/// (<see cref="WorkflowYamlWriter"/>), part by part: lists whose items have a <c>key</c> (stages, steps, outcomes,
/// fields, end states, case actions, check-ins, and any keyed list the format gains) are matched by key; other lists
/// (reminders, timers, conditions, roles) by content and then by order; values are compared as text. So a part of the
/// format this class does not know still shows up, as an added, removed or changed value with its YAML.
/// </summary>
public static class DefinitionDiff
{
    // The English names of the parts; each is a key of the resources, translated when a change is described.
    private static readonly Dictionary<string, string> Singular = new(StringComparer.Ordinal)
    {
        ["stages"] = "stage",
        ["steps"] = "step",
        ["outcomes"] = "outcome",
        ["form"] = "field",
        ["columns"] = "column",
        ["options"] = "option",
        ["reminders"] = "reminder",
        ["timers"] = "timer",
        ["conditions"] = "condition",
        ["end-states"] = "end state",
        ["case-actions"] = "case action",
        ["check-ins"] = "check-in",
        ["contributors"] = "contributor",
        ["roles"] = "role",
        ["escalation"] = "escalation",
    };

    /// <summary>Every difference from <paramref name="older"/> to <paramref name="newer"/>, in document order.</summary>
    public static IReadOnlyList<DefinitionChange> Compare(WorkflowDefinitionDocument older, WorkflowDefinitionDocument newer)
    {
        ArgumentNullException.ThrowIfNull(older);
        ArgumentNullException.ThrowIfNull(newer);
        return Compare(Tree(older with { Version = 0 }), Tree(newer with { Version = 0 }));
    }

    /// <summary>The difference of two YAML trees of definitions (the writer's output), whatever keys they have.</summary>
    internal static IReadOnlyList<DefinitionChange> Compare(YamlMappingNode older, YamlMappingNode newer)
    {
        var changes = new List<DefinitionChange>();
        Mapping(older, newer, "", "", changes);
        return changes;
    }

    /// <summary>
    /// The difference of two YAML texts of a definition, or null when either does not load (the text diff still
    /// shows what changed).
    /// </summary>
    public static IReadOnlyList<DefinitionChange>? Compare(string olderYaml, string newerYaml)
    {
        var a = WorkflowYamlLoader.Load(olderYaml ?? "");
        var b = WorkflowYamlLoader.Load(newerYaml ?? "");
        return a.Document is null || b.Document is null ? null : Compare(a.Document, b.Document);
    }

    private static YamlMappingNode Tree(WorkflowDefinitionDocument document)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(WorkflowYamlWriter.ToYaml(document, includeSchemaComment: false)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static void Mapping(YamlMappingNode a, YamlMappingNode b, string path, string where, List<DefinitionChange> changes)
    {
        var keys = a.Children.Keys.Concat(b.Children.Keys).OfType<YamlScalarNode>().Select(k => k.Value ?? "").Distinct().ToList();
        foreach (var key in keys)
        {
            var before = Child(a, key);
            var after = Child(b, key);
            var childPath = path.Length == 0 ? key : path + "." + key;
            Node(before, after, key, childPath, where, changes);
        }
    }

    private static void Node(YamlNode? before, YamlNode? after, string key, string path, string where, List<DefinitionChange> changes)
    {
        if (before is YamlSequenceNode sa && after is YamlSequenceNode sb)
        {
            Sequence(sa, sb, key, path, where, changes);
            return;
        }

        if (before is YamlSequenceNode || after is YamlSequenceNode)
        {
            var empty = new YamlSequenceNode();
            Sequence(before as YamlSequenceNode ?? empty, after as YamlSequenceNode ?? empty, key, path, where, changes);
            return;
        }

        if (before is YamlMappingNode ma && after is YamlMappingNode mb)
        {
            Mapping(ma, mb, path, Join(where, Part(key)), changes);
            return;
        }

        var textBefore = Text(before);
        var textAfter = Text(after);
        if (textBefore == textAfter)
        {
            return;
        }

        if (before is YamlMappingNode or null && after is YamlMappingNode or null)
        {
            changes.Add(new DefinitionChange(before is null ? ChangeKind.Added : ChangeKind.Removed, path, where, Part(key), textBefore, textAfter));
            return;
        }

        changes.Add(new DefinitionChange(ChangeKind.Changed, path, where, Words(key), textBefore, textAfter));
    }

    private static void Sequence(YamlSequenceNode a, YamlSequenceNode b, string key, string path, string where, List<DefinitionChange> changes)
    {
        var noun = Noun(key);
        if (IsKeyed(a) && IsKeyed(b))
        {
            var older = a.Children.ToDictionary(ItemKey, StringComparer.Ordinal);
            var newer = b.Children.ToDictionary(ItemKey, StringComparer.Ordinal);
            foreach (var item in a.Children.Concat(b.Children).Select(ItemKey).Distinct(StringComparer.Ordinal))
            {
                older.TryGetValue(item, out var before);
                newer.TryGetValue(item, out var after);
                var itemPath = $"{path}[{item}]";
                var label = $"{noun} {Title(after ?? before!, item)}";
                if (before is null || after is null)
                {
                    changes.Add(new DefinitionChange(before is null ? ChangeKind.Added : ChangeKind.Removed, itemPath, where, label, Text(before), Text(after)));
                }
                else
                {
                    Mapping((YamlMappingNode)before, (YamlMappingNode)after, itemPath, Join(where, label), changes);
                }
            }

            return;
        }

        // Unkeyed items: the same content is the same item; what is left is paired in order as changed.
        var left = a.Children.Select(Text).ToList();
        var right = b.Children.Select(Text).ToList();
        var removed = Enumerable.Range(0, left.Count).ToList();
        var added = new List<int>();
        for (var j = 0; j < right.Count; j++)
        {
            var match = removed.FindIndex(i => left[i] == right[j]);
            if (match >= 0)
            {
                removed.RemoveAt(match);
            }
            else
            {
                added.Add(j);
            }
        }

        if (a.Children.All(n => n is YamlScalarNode) && b.Children.All(n => n is YamlScalarNode) && key is "roles")
        {
            if (removed.Count + added.Count > 0)
            {
                changes.Add(new DefinitionChange(ChangeKind.Changed, path, where, Words(key), string.Join(", ", left), string.Join(", ", right)));
            }

            return;
        }

        var pairs = Math.Min(removed.Count, added.Count);
        for (var n = 0; n < pairs; n++)
        {
            var label = $"{noun} {added[n] + 1}";
            changes.Add(new DefinitionChange(ChangeKind.Changed, $"{path}[{added[n]}]", where, label, left[removed[n]], right[added[n]]));
        }

        foreach (var i in removed.Skip(pairs))
        {
            changes.Add(new DefinitionChange(ChangeKind.Removed, $"{path}[{i}]", where, $"{noun} {Summary(a.Children[i], key)}", left[i], null));
        }

        foreach (var j in added.Skip(pairs))
        {
            changes.Add(new DefinitionChange(ChangeKind.Added, $"{path}[{j}]", where, $"{noun} {Summary(b.Children[j], key)}", null, right[j]));
        }
    }

    private static bool IsKeyed(YamlSequenceNode sequence) =>
        sequence.Children.All(n => n is YamlMappingNode m && Child(m, "key") is YamlScalarNode)
        && sequence.Children.Select(ItemKey).Distinct(StringComparer.Ordinal).Count() == sequence.Children.Count;

    private static string ItemKey(YamlNode node) => (Child((YamlMappingNode)node, "key") as YamlScalarNode)?.Value ?? "";

    private static string Title(YamlNode node, string key)
    {
        var map = (YamlMappingNode)node;
        var name = (Child(map, "name") ?? Child(map, "label")) as YamlScalarNode;
        return string.IsNullOrWhiteSpace(name?.Value) || name.Value == key ? $"“{key}”" : $"“{name.Value}” ({key})";
    }

    /// <summary>A short label of an unkeyed item: a scalar's value, or its first values (a timer's “after P20BD, outcome”).</summary>
    private static string Summary(YamlNode node, string key) => node switch
    {
        YamlScalarNode s when key == "reminders" => $"“after {s.Value}”",
        YamlScalarNode s => $"“{s.Value}”",
        YamlMappingNode m => "“" + string.Join(", ", m.Children.Take(3).Select(p => p.Value is YamlScalarNode v ? $"{Words(((YamlScalarNode)p.Key).Value ?? "")} {v.Value}" : Words(((YamlScalarNode)p.Key).Value ?? ""))) + "”",
        _ => "",
    };

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Text(YamlNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode scalar:
                return scalar.Value ?? "";
            default:
                var stream = new YamlStream(new YamlDocument(node));
                using (var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" })
                {
                    stream.Save(writer, assignAnchors: false);
                    var text = writer.ToString();
                    return (text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text).TrimEnd('\n');
                }
        }
    }

    private static string Join(string where, string part) => where.Length == 0 ? part : where + " › " + part;

    private static string Part(string key) => Singular.TryGetValue(key, out var word) ? Localized.Text(word) : Words(key);

    private static string Noun(string key) => Singular.TryGetValue(key, out var word) ? Localized.Text(word)
        : key.EndsWith('s') && key.Length > 1 ? Words(key[..^1]) : Words(key);

    private static string Words(string key) => key.Replace('-', ' ');
}
