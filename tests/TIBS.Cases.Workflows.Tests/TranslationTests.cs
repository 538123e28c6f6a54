using System.Globalization;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Translations;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>Translation sidecars (<c>v2.lv.yaml</c> beside <c>v2.yaml</c>): completeness, warnings with lines, the texts applied, the hash untouched.</summary>
public sealed class TranslationTests
{
    private static string Shipped(string relative) => Path.Combine(TestFiles.WorkflowsFolder, relative);

    /// <summary>A copy of joint-smart-strategy v2 in a folder of its own, with the sidecars given.</summary>
    private static string PlaceV2(params (string Language, string Text)[] sidecars)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tibs-tests", $"tr-{Guid.NewGuid():N}", "joint-smart-strategy")).FullName;
        var file = Path.Combine(folder, "v2.yaml");
        File.Copy(Shipped("joint-smart-strategy/v2.yaml"), file);
        foreach (var (language, text) in sidecars)
        {
            File.WriteAllText(TranslationSidecar.FileFor(file, language), text);
        }

        return file;
    }

    private static string ShippedSidecar(string language) => File.ReadAllText(Shipped($"joint-smart-strategy/v2.{language}.yaml"));

    [Fact]
    public void A_missing_translation_is_a_warning_on_the_line_of_the_english_text_and_the_version_stays_valid()
    {
        var latvian = ShippedSidecar("lv").Replace("    name: \"Pieņemšana\"\n", "", StringComparison.Ordinal);
        var file = PlaceV2(("lv", latvian));

        var check = WorkflowDefinitions.CheckFile(file);

        Assert.True(check.IsValid, string.Join("; ", check.Errors));
        var warning = Assert.Single(check.Warnings, w => w.Path == "stages[0].steps[0].name");
        Assert.Equal(ValidationSeverity.Warning, warning.Severity);
        Assert.Equal(28, warning.Position!.Value.Line); // "name: Intake" in v2.yaml
        Assert.Null(warning.File);
        Assert.Contains("No Latvian translation of \"Intake\"", warning.Message, StringComparison.Ordinal);
        Assert.Contains("steps.intake.name", warning.Message, StringComparison.Ordinal);
        // The other languages have no sidecar in this folder: one warning each, not one per text.
        Assert.Equal(7, check.Warnings.Count(w => w.Message.StartsWith("There is no ", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_text_for_an_id_the_version_does_not_have_is_a_warning_on_its_line_in_the_sidecar()
    {
        var latvian = ShippedSidecar("lv").Replace("\nsteps:\n", "\nsteps:\n  # a step of another version\n  no-such-step:\n    name: \"Nav tāda soļa\"\n", StringComparison.Ordinal);
        var file = PlaceV2(("lv", latvian));
        var sidecar = TranslationSidecar.FileFor(file, "lv");
        var lines = File.ReadAllLines(sidecar);

        var check = WorkflowDefinitions.CheckFile(file);

        var unknown = check.Warnings.Where(w => w.File == sidecar).ToList();
        var step = Assert.Single(unknown, w => w.Path == "steps.no-such-step.name");
        Assert.Equal("    name: \"Nav tāda soļa\"", lines[step.Position!.Value.Line - 1]);
        Assert.Contains("The version has no text 'steps.no-such-step.name'", step.Message, StringComparison.Ordinal);
        Assert.All(unknown, w => Assert.Equal(ValidationSeverity.Warning, w.Severity));
    }

    [Fact]
    public void A_sidecar_that_is_not_id_text_pairs_is_refused_with_its_line()
    {
        var load = TranslationSidecar.Load("name: \"Stratēģija\"\nsteps:\n  intake:\n    - Pieņemšana\n", "lv");

        Assert.False(load.Succeeded);
        var error = Assert.Single(load.Errors);
        Assert.Equal(4, error.Position!.Value.Line);
        Assert.Contains("a list is not allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_translated_name_broken_across_lines_is_a_problem_on_its_sidecar_line()
    {
        var document = WorkflowDefinitions.Check(TestFiles.ReadWorkflow("joint-smart-strategy/v2.yaml")).Document!;
        var translation = TranslationSidecar.Load("steps:\n  intake:\n    name: \"Pieņem\\nšana\"\n", "lv").Translation!;

        var problem = Assert.Single(DefinitionTranslations.Problems(document, translation));

        Assert.Equal("steps.intake.name", problem.Path);
        Assert.Equal(3, problem.Position!.Value.Line);
    }

    [Fact]
    public void The_content_hash_does_not_see_the_sidecars()
    {
        var bare = PlaceV2();
        var translated = PlaceV2(("lv", ShippedSidecar("lv")), ("de", "name: \"Gemeinsame Strategie\"\n"));

        var before = WorkflowDefinitions.ContentHash(WorkflowDefinitions.CheckFile(bare).Document!);
        var after = WorkflowDefinitions.ContentHash(WorkflowDefinitions.CheckFile(translated).Document!);

        Assert.Equal(before, after);
        Assert.Equal(TestFiles.V2.ContentHash, after);
    }

    [Fact]
    public void The_translated_plan_has_the_latvian_texts_and_english_where_a_text_is_missing_and_the_same_keys()
    {
        var document = WorkflowDefinitions.Check(TestFiles.ReadWorkflow("joint-smart-strategy/v2.yaml")).Document!;
        var latvian = ShippedSidecar("lv").Replace("        # Lead company\n        label: \"Vadošais uzņēmums\"\n", "", StringComparison.Ordinal);
        var translation = TranslationSidecar.Load(latvian, "lv").Translation!;

        var plan = WorkflowPlan.Compile(DefinitionTranslations.Apply(document, translation));

        var intake = plan.GetStep("intake");
        Assert.Equal("Pieņemšana", intake.Name);
        Assert.Equal("Lead company", intake.Fields.Single(f => f.Key == "company").Label);
        Assert.Equal("Piekrišana kontaktdatu apstrādei", intake.Fields.Single(f => f.Key == "contact-data-consent").Label);
        Assert.Equal("Uzņēmums reģistrēts", intake.Outcomes.Single().Label);
        Assert.Equal(TestFiles.V2.Steps.Select(s => s.Key), plan.Steps.Select(s => s.Key));
    }

    [Fact]
    public void The_language_of_a_culture_is_one_of_the_eight_or_none()
    {
        Assert.Equal("lv", DefinitionTranslations.LanguageOf(CultureInfo.GetCultureInfo("lv-LV")));
        Assert.Equal("de", DefinitionTranslations.LanguageOf(CultureInfo.GetCultureInfo("de")));
        Assert.Null(DefinitionTranslations.LanguageOf(CultureInfo.GetCultureInfo("en-GB")));
        Assert.Null(DefinitionTranslations.LanguageOf(CultureInfo.GetCultureInfo("fr")));
    }

    [Fact]
    public void A_written_sidecar_loads_back_with_every_text_and_the_english_as_comments()
    {
        var document = WorkflowDefinitions.Check(TestFiles.ReadWorkflow("joint-smart-strategy/v2.yaml")).Document!;
        var shipped = TranslationSidecar.Load(ShippedSidecar("lv"), "lv").Translation!;

        var written = DefinitionTranslations.Write(document, "lv", shipped);
        var blank = DefinitionTranslations.Write(document, "lv");

        var again = TranslationSidecar.Load(written, "lv").Translation!;
        Assert.True(DefinitionTranslations.Report(document, again).IsComplete);
        Assert.Contains("    # Intake\n    name: \"Pieņemšana\"\n", written, StringComparison.Ordinal);
        var empty = DefinitionTranslations.Report(document, TranslationSidecar.Load(blank, "lv").Translation!);
        Assert.Equal(0, empty.Translated);
        Assert.Empty(empty.Unknown);
    }

    public static TheoryData<string> ShippedVersions() =>
    [
        .. Directory.EnumerateDirectories(TestFiles.WorkflowsFolder)
            .SelectMany(d => Directory.EnumerateFiles(d, "v*.yaml"))
            .Where(f => Definitions.DefinitionIdentity.VersionOfFileName(Path.GetFileName(f)) is not null)
            .Select(f => Path.GetRelativePath(TestFiles.WorkflowsFolder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(ShippedVersions))]
    public void Every_shipped_version_is_translated_completely_into_every_language(string version)
    {
        var file = Shipped(version);
        var check = WorkflowDefinitions.CheckFile(file);

        Assert.True(check.IsValid, string.Join(Environment.NewLine, check.Errors));
        Assert.True(check.Warnings.Count == 0, string.Join(Environment.NewLine, check.Warnings.Select(w => $"{w.File ?? file} {w.Position}: {w}")));
        foreach (var (language, sidecar, load) in WorkflowDefinitions.ReadTranslations(file))
        {
            Assert.True(load is { Succeeded: true }, $"{sidecar} is missing or cannot be read");
            var report = DefinitionTranslations.Report(check.Document!, load.Translation!);
            Assert.Equal(100, report.Percent);
            Assert.Empty(DefinitionTranslations.Problems(check.Document!, load.Translation!));
            Assert.Contains("not yet reviewed by a native speaker", File.ReadAllText(sidecar), StringComparison.Ordinal);
            Assert.Equal(language, load.Translation!.Language);
        }
    }
}
