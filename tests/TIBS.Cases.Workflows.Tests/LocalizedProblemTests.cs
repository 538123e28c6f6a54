using System.Globalization;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Diff;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>
/// A definition's problems are written in the language of the person who reads them, with the same path and line,
/// and in English again as soon as an English reader asks: nothing keeps a message in the language it was first made in.
/// </summary>
public sealed class LocalizedProblemTests
{
    private static int LineOf(string yaml, string fragment) =>
        yaml.Split('\n').Select((text, index) => (text, index)).First(l => l.text.Contains(fragment, StringComparison.Ordinal)).index + 1;

    private static ValidationError ProblemAt(string yaml, string path)
    {
        var check = WorkflowDefinitions.Check(yaml);
        Assert.False(check.IsValid);
        return Assert.Single(check.Errors, e => e.Path == path);
    }

    [Fact]
    public void An_outcome_leading_nowhere_is_explained_in_latvian_and_german_with_its_path_and_line()
    {
        var yaml = ValidatorTests.Base.Replace("to: second", "to: secnd", StringComparison.Ordinal);
        const string path = "stages[0].steps[0].outcomes[0].to";

        using (new Culture("lv"))
        {
            var problem = ProblemAt(yaml, path);
            Assert.Equal("Soļa “first” iznākums “go” ved uz “secnd”, kas nav ne solis, ne beigu stāvoklis (vai domājāt “second”?).", problem.Message);
            Assert.Equal(LineOf(yaml, "to: secnd"), problem.Position!.Value.Line);
        }

        using (new Culture("de"))
        {
            var problem = ProblemAt(yaml, path);
            Assert.Equal("Das Ergebnis „go“ von Schritt „first“ führt zu „secnd“, das weder ein Schritt noch ein Endzustand ist (meinten Sie „second“?).", problem.Message);
            Assert.Equal(LineOf(yaml, "to: secnd"), problem.Position!.Value.Line);
        }

        Assert.Equal(
            "Outcome 'go' of step 'first' leads to 'secnd', which is neither a step nor an end state (did you mean 'second'?).",
            ProblemAt(yaml, path).Message);
    }

    [Fact]
    public void A_subject_and_its_problem_are_one_sentence_in_each_language()
    {
        var yaml = ValidatorTests.Base.Replace("role: broker", "role: brokr", StringComparison.Ordinal)
            .Replace("escalation: { after: P10D, to: coordinator }", "escalation: { after: P0D, to: coordinator }", StringComparison.Ordinal);

        using (new Culture("lv"))
        {
            Assert.Equal("“brokr” nav loma (vai domājāt “broker”?); izmantojiet kādu no: broker, partner-broker, coordinator, evaluator, administrator.",
                ProblemAt(yaml, "stages[0].steps[0].role").Message);
            Assert.Equal("Soļa “first” eskalācija: “P0D” ir nulle; ilgumam jābūt garākam.", ProblemAt(yaml, "stages[0].steps[0].escalation.after").Message);
        }

        using (new Culture("de"))
        {
            Assert.Equal("Die Eskalation von Schritt „first“: „P0D“ ist null; eine Dauer muss länger sein.", ProblemAt(yaml, "stages[0].steps[0].escalation.after").Message);
        }
    }

    [Fact]
    public void Yaml_that_cannot_be_read_is_described_in_the_readers_language_at_its_line()
    {
        var yaml = ValidatorTests.Base.Replace("name: Mini workflow", "name: \"Mini workflow", StringComparison.Ordinal);

        using (new Culture("de"))
        {
            var problem = Assert.Single(WorkflowDefinitions.Check(yaml).Errors);
            Assert.StartsWith("Das YAML ist fehlerhaft: ", problem.Message, StringComparison.Ordinal);
            Assert.Contains("Anführungszeichen", problem.Message, StringComparison.Ordinal);
            Assert.NotNull(problem.Position);
        }

        var unknownKey = ValidatorTests.Base.Replace("    due: P5D", "    duee: P5D", StringComparison.Ordinal);
        using (new Culture("lv"))
        {
            var problem = Assert.Single(WorkflowDefinitions.Check(unknownKey).Errors);
            Assert.StartsWith("Nezināma atslēga “duee” (kur: solis) (vai domājāt “due”?). Atslēgas raksta kebab-case formā; šeit atļautas: ", problem.Message, StringComparison.Ordinal);
            Assert.Equal(LineOf(unknownKey, "duee: P5D"), problem.Position!.Value.Line);
        }
    }

    [Fact]
    public void The_same_document_checked_twice_in_two_languages_gives_each_reader_their_own_words()
    {
        var yaml = ValidatorTests.Base.Replace("name: Mini workflow", "name: \"\"", StringComparison.Ordinal);

        string Latvian()
        {
            using var culture = new Culture("lv");
            return ProblemAt(yaml, "name").Message;
        }

        string Polish()
        {
            using var culture = new Culture("pl");
            return ProblemAt(yaml, "name").Message;
        }

        Assert.Equal("Darbplūsmai nav nosaukuma.", Latvian());
        Assert.Equal("Proces nie ma nazwy.", Polish());
        Assert.Equal("Darbplūsmai nav nosaukuma.", Latvian());
        Assert.Equal("The workflow has no name.", ProblemAt(yaml, "name").Message);
    }

    [Theory]
    [InlineData("pl", "P1M", "1 miesiąc")]
    [InlineData("pl", "P3M", "3 miesiące")]
    [InlineData("pl", "P5M", "5 miesięcy")]
    [InlineData("pl", "P22D", "22 dni")]
    [InlineData("lt", "P21D", "21 diena")]
    [InlineData("lt", "P3D", "3 dienos")]
    [InlineData("lt", "P12D", "12 dienų")]
    [InlineData("lv", "P21D", "21 diena")]
    [InlineData("lv", "P11D", "11 dienas")]
    [InlineData("de", "P1Y2W", "1 Jahr und 14 Tage")]
    [InlineData("fi", "P20BD", "20 työpäivää")]
    [InlineData("en", "P1Y2M", "1 year and 2 months")]
    public void Durations_are_counted_in_the_plural_form_of_the_language(string language, string text, string words)
    {
        Assert.True(IsoDuration.TryParse(text, out var duration, out _));
        using var culture = new Culture(language);

        Assert.Equal(words, duration.ToWords());
    }

    [Fact]
    public void A_form_field_error_is_written_in_the_readers_language()
    {
        var signed = TestFiles.V1.GetStep("signed-agreement");
        using var culture = new Culture("de");

        var result = FormValidator.Validate(signed, FormInput.FromPairs([new("signature-date", "31.02.2026")]));

        Assert.Equal("Signature date: 31.02.2026 ist kein Datum (verwenden Sie JJJJ-MM-TT).", Assert.Single(result.Errors, e => e.Field == "signature-date").Message);
    }

    [Fact]
    public void A_change_between_versions_is_one_sentence_in_the_readers_language()
    {
        static string Sentence() => Assert.Single(DefinitionDiff.Compare(
            DefinitionDiffTests.Base, DefinitionDiffTests.Base.Replace("due: P5D", "due: P10D", StringComparison.Ordinal))!).Sentence;

        using (new Culture("lv"))
        {
            Assert.Equal("Mainīts: Due (posms “Only stage” (only) › solis “Assess needs” (assess)) no “P5D” uz “P10D”.", Sentence());
        }

        using (new Culture("de"))
        {
            Assert.Equal("Due von Phase “Only stage” (only) › Schritt “Assess needs” (assess) von “P5D” zu “P10D” geändert.", Sentence());
        }
    }

    /// <summary>Sets the UI culture and the culture for the test's thread and puts the previous ones back.</summary>
    private sealed class Culture : IDisposable
    {
        private readonly CultureInfo _ui = CultureInfo.CurrentUICulture;
        private readonly CultureInfo _format = CultureInfo.CurrentCulture;

        public Culture(string name)
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        }

        public void Dispose()
        {
            CultureInfo.CurrentUICulture = _ui;
            CultureInfo.CurrentCulture = _format;
        }
    }
}
