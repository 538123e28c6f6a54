using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The translations are complete and consistent: every language file of the interface (Ui) and of Core's messages
/// (Messages) has exactly the English file's keys, no empty text, and the same placeholders; every text the code asks
/// for by a literal key is in the English file; and no key is built at run time (an interpolated key is never found).
/// </summary>
public sealed partial class TranslationResourceTests
{
    private static readonly string[] Languages = ["pl", "lv", "et", "lt", "fi", "de", "da", "sv"];

    public static TheoryData<string> Resources => new() { "src/TIBS.Cases.Web/Resources/Ui", "src/TIBS.Cases.Core/Localization/Messages", "src/TIBS.Cases.Workflows/Localization/Messages" };

    public static TheoryData<string> MessageAssemblies => new() { "src/TIBS.Cases.Core", "src/TIBS.Cases.Workflows" };

    private static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TIBS.Cases.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (TIBS.Cases.sln) was not found above the test's folder.");
    }

    private static Dictionary<string, string> Read(string path) =>
        XDocument.Load(Path.Combine(Root, path)).Root!.Elements("data")
            .ToDictionary(e => e.Attribute("name")!.Value, e => e.Element("value")?.Value ?? "", StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Resources))]
    public void Every_language_has_every_key_with_text_and_the_same_placeholders(string resource)
    {
        var english = Read(resource + ".resx");
        Assert.NotEmpty(english);
        Assert.All(english, e => Assert.Equal(e.Key, e.Value)); // the English file is the list of keys, each its own text
        // Resource names are not case-sensitive when compiled: "Overdue" and "overdue" would silently lose one of them.
        var sameButCase = english.Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)).ToList();
        Assert.True(sameButCase.Count == 0, $"keys that differ only in case: {string.Join("; ", sameButCase)}");
        foreach (var language in Languages)
        {
            var translated = Read($"{resource}.{language}.resx");
            var missing = english.Keys.Except(translated.Keys).ToList();
            var extra = translated.Keys.Except(english.Keys).ToList();
            Assert.True(missing.Count == 0, $"{language}: {missing.Count} keys without a translation, such as \"{missing.FirstOrDefault()}\"");
            Assert.True(extra.Count == 0, $"{language}: {extra.Count} keys that are not in English, such as \"{extra.FirstOrDefault()}\"");
            foreach (var (key, text) in translated)
            {
                Assert.False(string.IsNullOrWhiteSpace(text), $"{language}: \"{key}\" has an empty translation");
                Assert.True(Placeholders(key).SequenceEqual(Placeholders(text)), $"{language}: \"{key}\" → \"{text}\" does not keep the placeholders");
            }
        }
    }

    [Fact]
    public void Every_literal_key_of_the_interface_is_in_the_English_file_and_no_key_is_built_at_run_time()
    {
        var keys = Read("src/TIBS.Cases.Web/Resources/Ui.resx");
        var (used, built) = Scan("src/TIBS.Cases.Web", ["*.cshtml", "*.cs"], InterfaceKey(), InterfaceBuiltKey());
        Assert.NotEmpty(used);
        Assert.Empty(built);
        var missing = used.Where(u => !keys.ContainsKey(u.Key)).Select(u => $"{u.File}: \"{u.Key}\"").ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} keys are not in Ui.resx:\n{string.Join("\n", missing.Take(30))}");
    }

    [Theory]
    [MemberData(nameof(MessageAssemblies))]
    public void Every_literal_message_of_an_assembly_is_in_its_English_file_and_no_message_key_is_built_at_run_time(string assembly)
    {
        var keys = Read($"{assembly}/Localization/Messages.resx");
        var (used, built) = Scan(assembly, ["*.cs"], MessageKey(), MessageBuiltKey());
        Assert.Empty(built);
        var missing = used.Where(u => !keys.ContainsKey(u.Key)).Select(u => $"{u.File}: \"{u.Key}\"").ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} messages are not in {assembly}/Localization/Messages.resx:\n{string.Join("\n", missing.Take(30))}");
    }

    private static (List<(string File, string Key)> Used, List<string> Built) Scan(string folder, string[] patterns, Regex literal, Regex builtAtRunTime)
    {
        var used = new List<(string, string)>();
        var built = new List<string>();
        foreach (var file in patterns.SelectMany(p => Directory.EnumerateFiles(Path.Combine(Root, folder), p, SearchOption.AllDirectories))
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            var name = Path.GetRelativePath(Root, file);
            used.AddRange(literal.Matches(text).Select(m => (name, Unescape(m.Groups["key"].Value))));
            built.AddRange(builtAtRunTime.Matches(text).Select(m => $"{name}: {m.Value}"));
        }

        return (used, built);
    }

    private static string Unescape(string literal) => literal.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    private static IEnumerable<string> Placeholders(string text) => PlaceholderPattern().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal);

    [GeneratedRegex(@"(?<![\w.])[THt]\[""(?<key>(?:[^""\\]|\\.)*)""")]
    private static partial Regex InterfaceKey();

    [GeneratedRegex(@"(?<![\w.])[THt]\[\$""")]
    private static partial Regex InterfaceBuiltKey();

    [GeneratedRegex(@"\bLocalized\.(?:Text|Format|InSentence)\(\s*""(?<key>(?:[^""\\]|\\.)*)""")]
    private static partial Regex MessageKey();

    [GeneratedRegex(@"\bLocalized\.(?:Text|Format|InSentence)\(\s*(?:\$|@)""")]
    private static partial Regex MessageBuiltKey();

    [GeneratedRegex(@"\{\d+(?:[:,][^}]*)?\}")]
    private static partial Regex PlaceholderPattern();
}
