using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Tests;

/// <summary>Stored form values and statuses in the words of the definition and the reference data.</summary>
public sealed class FieldValueDisplayTests
{
    private static readonly Guid Sawmill = Guid.Parse("0192a1b2-0000-7000-8000-000000000001");

    private static readonly ReferenceLabels Labels = new(
        [new S3Area { Code = "bioeconomy", Name = "Bioeconomy and forestry" }],
        [new NaceSection { Code = "C", Name = "Manufacturing" }],
        [new Region { Code = "LV008", Name = "Vidzeme", CountryCode = "LV", Kind = "supported" }]);

    private static readonly FieldValueDisplay Display = new(Labels, new Dictionary<Guid, string> { [Sawmill] = "Gauja Sawmill" }, new Dictionary<Guid, string>());

    private static PlanField Field(string key, string label, FieldType type, string? taxonomy = null, IReadOnlyList<PlanOption>? options = null, IReadOnlyList<PlanField>? columns = null) =>
        new(key, label, type, false, null, options ?? [], taxonomy, false, null, null, columns ?? []);

    [Fact]
    public void Values_are_shown_with_labels_names_and_words()
    {
        var channel = Field("channel", "Channel", FieldType.Choice, options: [new PlanOption("video-call", "Video call")]);
        var fields = new[]
        {
            Field("consent", "Consent to process contact data", FieldType.Boolean),
            channel,
            Field("s3", "S3 areas", FieldType.Taxonomy, "s3-area"),
            Field("nace", "Activities", FieldType.Taxonomy, "nace"),
            Field("countries", "Target countries", FieldType.Taxonomy, "country"),
            Field("region", "Region", FieldType.Taxonomy, "region"),
            Field("lead", "Lead company", FieldType.Company),
            Field("met", "Met on", FieldType.Date),
            Field("shortlist", "Shortlist", FieldType.Table, columns: [Field("candidate", "Candidate", FieldType.Company), Field("how", "How", FieldType.Choice, options: [new PlanOption("video-call", "Video call")])]),
        };
        var values = new Dictionary<string, FieldValue>
        {
            ["consent"] = new BooleanValue(true),
            ["channel"] = new ChoiceValue("video-call"),
            ["s3"] = new TaxonomyValue("s3-area", ["bioeconomy"]),
            ["nace"] = new TaxonomyValue("nace", ["C", "C16"]),
            ["countries"] = new TaxonomyValue("country", ["DE", "FI", "NZ"]),
            ["region"] = new TaxonomyValue("region", ["LV008"]),
            ["lead"] = new CompanyValue([Sawmill.ToString(), Guid.NewGuid().ToString()]),
            ["met"] = new DateValue(new DateOnly(2026, 3, 2)),
            ["shortlist"] = new TableValue([new Dictionary<string, FieldValue> { ["candidate"] = new CompanyValue([Sawmill.ToString()]), ["how"] = new ChoiceValue("video-call") }]),
        };

        var lines = Display.Lines(fields, values).ToDictionary(l => l.Label, l => l.Value);

        Assert.Equal("Yes", lines["Consent to process contact data"]);
        Assert.Equal("Video call", lines["Channel"]);
        Assert.Equal("Bioeconomy and forestry", lines["S3 areas"]);
        Assert.Equal("C — Manufacturing, C16 (Manufacturing)", lines["Activities"]);
        Assert.Equal("Germany, Finland, New Zealand", lines["Target countries"]);
        Assert.Equal("Vidzeme", lines["Region"]);
        Assert.Equal("Gauja Sawmill, A company no longer in TIBS", lines["Lead company"]);
        Assert.Equal("2 March 2026", lines["Met on"]);
        Assert.Equal("Candidate: Gauja Sawmill, How: Video call", lines["Shortlist"]);
    }

    /// <summary>A value of a type added after this code, or of a field a later version dropped, keeps a readable label and its text.</summary>
    private sealed record PhoneValue(string Number) : FieldValue
    {
        public override string ToText() => Number;
    }

    [Fact]
    public void An_unknown_field_or_value_type_is_shown_with_a_readable_label_and_its_text()
    {
        var lines = Display.Lines([], new Dictionary<string, FieldValue> { ["contact-phone"] = new PhoneValue("+371 2000 0000"), ["old-choice"] = new ChoiceValue("broker-outreach") });

        Assert.Equal([new DisplayLine("Contact phone", "+371 2000 0000"), new DisplayLine("Old choice", "Broker outreach")], lines);
    }

    [Fact]
    public void Every_event_kind_and_status_has_words_of_its_own()
    {
        Assert.All(CaseEventKinds.All, kind => Assert.DoesNotContain(kind, CaseEventDisplay.Title(kind), StringComparison.Ordinal));
        Assert.Equal("Put on hold", CaseEventDisplay.Title(CaseEventKinds.CaseHold));
        Assert.Equal("Early end", CaseEventDisplay.Title("early-end"));
        Assert.All(PipelineStatus.All, s => Assert.NotEqual(s, Words.PipelineStatus(s)));
        Assert.All(Enum.GetValues<WorkflowRole>(), r => Assert.DoesNotContain('-', Words.Role(r)));
        Assert.Equal("On hold", Words.CaseStatus(CaseStatus.OnHold));
    }
}
