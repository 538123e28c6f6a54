using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Tests;

public sealed class FormDataJsonTests
{
    [Fact]
    public void Every_kind_of_value_reads_back_exactly()
    {
        var values = new Dictionary<string, FieldValue>
        {
            ["title"] = new TextValue("Joint pilot — Rīga/Hamburg"),
            ["turnover"] = new NumberValue(1234567.89m),
            ["signed"] = new DateValue(new DateOnly(2026, 2, 28)),
            ["eligible"] = new BooleanValue(true),
            ["type"] = new ChoiceValue("technology-offer"),
            ["barriers"] = new MultiChoiceValue(["finance", "language"]),
            ["s3"] = new TaxonomyValue("s3-area", ["ict-digitalisation", "bioeconomy"]),
            ["partners"] = new CompanyValue([Guid.NewGuid().ToString()]),
            ["agreement"] = new FileValue([new FileReference("f-1", "agreement.pdf")]),
            ["actions"] = new TableValue([new Dictionary<string, FieldValue> { ["action"] = new TextValue("Pilot"), ["due"] = new DateValue(new DateOnly(2026, 6, 1)) }]),
        };

        var read = FormDataJson.Deserialize(FormDataJson.Serialize(values));

        Assert.Equal(values.Keys.Order(), read.Keys.Order());
        foreach (var (key, value) in values)
        {
            Assert.Equal(value.ToText(), read[key].ToText());
            Assert.Equal(value.GetType(), read[key].GetType());
        }

        Assert.Equal(1234567.89m, ((NumberValue)read["turnover"]).Number);
        Assert.Equal("s3-area", ((TaxonomyValue)read["s3"]).Taxonomy);
        Assert.Equal("agreement.pdf", ((FileValue)read["agreement"]).Files[0].Name);
    }

    [Fact]
    public void Case_data_keeps_the_latest_values_of_each_step()
    {
        var json = CaseData.With("{}", "intake", new Dictionary<string, FieldValue> { ["source"] = new ChoiceValue("event") });
        json = CaseData.With(json, "first-contact", new Dictionary<string, FieldValue> { ["contact-person"] = new TextValue("Māris") });
        json = CaseData.With(json, "intake", new Dictionary<string, FieldValue> { ["source"] = new ChoiceValue("referral") });

        var data = CaseData.Read(json);

        Assert.Equal("referral", data["intake"]["source"].ToText());
        Assert.Equal("Māris", data["first-contact"]["contact-person"].ToText());
    }

    [Fact]
    public void The_stored_text_is_the_same_as_the_tree_writes_it_escapes_included()
    {
        // Stored form values and events were written from a JSON tree before; the writer must give the same text, so
        // that stored data, event data and their hashes read the same whichever wrote them.
        var values = new Dictionary<string, FieldValue>
        {
            ["z-last"] = new TextValue("Quote \" < & > ' \\ tab\t line\n Žal ąčę Øresund 🚀 \u2028"),
            ["a-first"] = new NumberValue(-0.5m),
            ["signed"] = new DateValue(new DateOnly(2026, 2, 28)),
            ["no"] = new BooleanValue(false),
            ["types"] = new MultiChoiceValue([]),
            ["s3"] = new TaxonomyValue("s3-area", ["ict-digitalisation"]),
            ["file"] = new FileValue([new FileReference("f-1", null), new FileReference("f-2", "Umowa—ŁÓDŹ.pdf")]),
            ["rows"] = new TableValue([new Dictionary<string, FieldValue> { ["b"] = new TextValue("2"), ["a"] = new NumberValue(1m) }]),
        };

        Assert.Equal(FormDataJson.ToNode(values).ToJsonString(), FormDataJson.Serialize(values));
    }

    [Fact]
    public void Case_data_keeps_other_properties_and_the_place_of_a_step_seen_before()
    {
        var json = """{"origin":"import","steps":{"intake":{"a":{"type":"text","value":"1"}},"first-contact":{}},"note":"ä"}""";

        var replaced = CaseData.With(json, "intake", new Dictionary<string, FieldValue> { ["a"] = new TextValue("2") });
        var appended = CaseData.With(json, "needs", new Dictionary<string, FieldValue>());
        var started = CaseData.With("", "intake", new Dictionary<string, FieldValue>());

        Assert.Equal("""{"origin":"import","steps":{"intake":{"a":{"type":"text","value":"2"}},"first-contact":{}},"note":"\u00E4"}""", replaced);
        Assert.Equal("""{"origin":"import","steps":{"intake":{"a":{"type":"text","value":"1"}},"first-contact":{},"needs":{}},"note":"\u00E4"}""", appended);
        Assert.Equal("""{"steps":{"intake":{}}}""", started);
    }
}
