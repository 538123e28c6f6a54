using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Words, not codes: a case whose definition has a field of every field type and whose trail has an event of every
/// kind (both lists read from the code, so a new type or kind is covered without touching this test) is read by its
/// broker and by an evaluator; the timeline shows labels and names, never a key, an id or <c>key=value</c>.
/// </summary>
public abstract partial class WordsOnPagesTests(DatabaseFixture fixture)
{
    private const string DefinitionKey = "every-field-type";
    private const string Sha = "3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea";

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidText();

    [GeneratedRegex(@"[\w-]+=[\w-]+")]
    private static partial Regex KeyEqualsValue();

    /// <summary>A field of every type the definition format knows (three more taxonomies), with keys that cannot be mistaken for words.</summary>
    private static string DefinitionYaml()
    {
        var fields = new StringBuilder();
        const string Indent = "          ";
        void Field(string key, string type, string label, params string[] extra)
        {
            fields.Append(CultureInfo.InvariantCulture, $"{Indent}- key: {key}\n{Indent}  label: {label}\n{Indent}  type: {type}\n");
            foreach (var line in extra)
            {
                fields.Append(CultureInfo.InvariantCulture, $"{Indent}  {line}\n");
            }
        }

        string[] options = ["options:", "  - { value: option-one-value, label: Option one label }", "  - { value: option-two-value, label: Option two label }"];
        foreach (var type in Enum.GetValues<FieldType>())
        {
            var name = type.ToName();
            var label = $"{Words.Humanize(name)} answer";
            switch (type)
            {
                case FieldType.Choice or FieldType.MultiChoice:
                    Field($"{name}-answer-key", name, label, options);
                    break;
                case FieldType.Taxonomy:
                    foreach (var taxonomy in new[] { "s3-area", "nace", "region", "country" })
                    {
                        Field($"{taxonomy}-answer-key", name, $"{Words.Humanize(taxonomy)} answer", $"taxonomy: {taxonomy}");
                    }

                    break;
                case FieldType.Table:
                    Field($"{name}-answer-key", name, label, "columns:",
                        "  - { key: partner-column-key, label: Partner, type: company }",
                        "  - { key: country-column-key, label: Country, type: taxonomy, taxonomy: country }",
                        "  - { key: share-column-key, label: Share, type: number }",
                        "  - { key: status-column-key, label: Status, type: choice, options: [{ value: option-one-value, label: Option one label }] }");
                    break;
                default:
                    Field($"{name}-answer-key", name, label);
                    break;
            }
        }

        return $$"""
            key: {{DefinitionKey}}
            name: Every field type
            version: 1
            start: answer-everything
            stages:
              - key: only-stage
                name: The only stage
                steps:
                  - key: answer-everything
                    name: Answer everything
                    role: broker
                    form:
            {{fields}}
                    outcomes:
                      - key: done
                        label: Answers recorded
                        to: follow-up
                  - key: follow-up
                    name: Follow-up
                    role: broker
                    outcomes:
                      - key: finish
                        label: Finished
                        to: completed
            end-states:
              - key: completed
                name: Completed
                kind: success
              - key: withdrawn
                name: Withdrawn
                kind: failure
            case-actions:
              - key: hold
                label: Put on hold
                kind: hold
                roles: [broker]
                requires-reason: true
              - key: resume
                label: Resume
                kind: resume
                roles: [broker]
              - key: withdraw
                label: Withdraw the case
                kind: withdraw
                to: withdrawn
                roles: [broker]
                requires-reason: true
              - key: reassign
                label: Hand over to another broker
                kind: reassign
                roles: [broker]
            check-ins:
              - key: quarterly-key
                name: Quarterly check-in
                step: follow-up
                every: P3M
                for: P6M
                role: broker
                form:
                  - key: progress-answer-key
                    label: Progress
                    type: boolean
            """;
    }

    /// <summary>A stored value for a field, as the form validator would have made it; a type added later gets text.</summary>
    private static FieldValue Sample(PlanField field, Guid company, Guid file) => field.Type switch
    {
        FieldType.Text or FieldType.Textarea => new TextValue("Sawmill residues are burnt today"),
        FieldType.Number => new NumberValue(1250.5m),
        FieldType.Date => new DateValue(new DateOnly(2026, 3, 12)),
        FieldType.Boolean => new BooleanValue(true),
        FieldType.Choice => new ChoiceValue(field.Options[0].Value),
        FieldType.MultiChoice => new MultiChoiceValue([.. field.Options.Select(o => o.Value)]),
        FieldType.Taxonomy => new TaxonomyValue(field.Taxonomy!, [field.Taxonomy switch { "s3-area" => "sustainable-innovation", "nace" => "C", "region" => "LV008", _ => "DE" }]),
        FieldType.Company => new CompanyValue([company.ToString()]),
        FieldType.File => new FileValue([new FileReference(file.ToString())]),
        FieldType.Table => new TableValue([field.Columns.ToDictionary(c => c.Key, c => Sample(c, company, file))]),
        _ => new TextValue("A value of a newer field type"),
    };

    /// <summary>What each kind of event stores, as the case services write it; a kind added later gets a reason.</summary>
    private static JsonObject Data(string kind, PlanStep step, PlanCheckIn checkIn, Guid company, Guid participant, Guid file, Guid owner, Guid other) => kind switch
    {
        CaseEventKinds.CaseOpened => new JsonObject { ["reference"] = "LV008-2026-9999", ["leadCompanyId"] = company.ToString(), ["leadCompany"] = "Gauja Sawmill", ["region"] = "LV008", ["owner"] = owner.ToString(), ["step"] = step.Key },
        CaseEventKinds.StepCompleted => new JsonObject
        {
            ["step"] = step.Key,
            ["outcome"] = "done",
            ["outcomeLabel"] = "Answers recorded",
            ["to"] = "follow-up",
            ["form"] = FormDataJson.ToNode(step.Fields.ToDictionary(f => f.Key, f => Sample(f, company, file))),
            ["attachments"] = new JsonArray(new JsonObject { ["attachmentId"] = file.ToString(), ["fileName"] = "joint-strategy.pdf", ["size"] = 10, ["sha256"] = Sha, ["field"] = "file-answer-key" }),
        },
        CaseEventKinds.CaseHold => new JsonObject { ["action"] = "hold", ["label"] = "Put on hold", ["reason"] = "Waiting for the owner" },
        CaseEventKinds.CaseResume => new JsonObject { ["action"] = "resume", ["label"] = "Resume", ["reason"] = null, ["heldFor"] = "3.04:00:00" },
        CaseEventKinds.CaseWithdraw => new JsonObject { ["action"] = "withdraw", ["label"] = "Withdraw the case", ["reason"] = "The company stopped", ["from"] = "follow-up", ["to"] = "withdrawn" },
        CaseEventKinds.CaseReassign => new JsonObject { ["action"] = "reassign", ["label"] = "Hand over", ["reason"] = null, ["from"] = owner.ToString(), ["to"] = other.ToString() },
        CaseEventKinds.CaseMigrated => new JsonObject
        {
            ["definition"] = DefinitionKey,
            ["fromVersion"] = 1,
            ["toVersion"] = 1,
            ["fromStep"] = "answer-everything",
            ["toStep"] = "follow-up",
            ["mappedExplicitly"] = true,
            ["carriedFields"] = new JsonArray("text-answer-key"),
            ["droppedFields"] = new JsonArray(),
            ["reminders"] = "recreated",
        },
        CaseEventKinds.CheckInRecorded => new JsonObject { ["checkIn"] = checkIn.Key, ["occurrence"] = 1, ["form"] = FormDataJson.ToNode(checkIn.Fields.ToDictionary(f => f.Key, f => Sample(f, company, file))) },
        CaseEventKinds.PartnerShortlisted => new JsonObject { ["companyId"] = company.ToString(), ["company"] = "Hamburg Timber Digital", ["region"] = "DE60", ["status"] = "shortlisted" },
        CaseEventKinds.PartnerStatusChanged => new JsonObject { ["participantId"] = participant.ToString(), ["companyId"] = company.ToString(), ["from"] = "contacted", ["to"] = "interested" },
        CaseEventKinds.NoteAdded => new JsonObject { ["noteId"] = Guid.NewGuid().ToString(), ["body"] = "Called the owner" },
        CaseEventKinds.AttachmentAdded => new JsonObject { ["attachmentId"] = file.ToString(), ["fileName"] = "joint-strategy.pdf", ["contentType"] = "application/pdf", ["size"] = 10, ["sha256"] = Sha, ["field"] = "file-answer-key" },
        CaseEventKinds.MessagePosted => new JsonObject { ["messageId"] = Guid.NewGuid().ToString(), ["participantId"] = participant.ToString(), ["body"] = "Hello from Vidzeme" },
        _ => new JsonObject { ["reason"] = "A reason in words" },
    };

    [SkippableFact]
    public async Task Every_event_kind_and_field_type_reads_in_words_for_the_broker_and_the_evaluator()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var broker = await SignedInAsync(factory, "broker.lv008@tibs.example");
        var services = factory.Services;
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tibs-tests", "words-" + Guid.NewGuid().ToString("N"), DefinitionKey)).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "v1.yaml"), DefinitionYaml());
        var import = await services.GetRequiredService<WorkflowCatalog>().ImportFolderAsync(Path.GetDirectoryName(folder)!);
        Assert.Single(import.Imported);

        var users = services.GetRequiredService<IUserStore>();
        var owner = (await users.FindByEmailAsync("broker.lv008@tibs.example"))!;
        var evaluatorUser = (await users.FindByEmailAsync("evaluator@tibs.example"))!;
        var lead = await CompanyAsync(services, "Gauja Sawmill", "LV", "LV008");
        var partner = await CompanyAsync(services, "Hamburg Timber Digital", "DE", "DE60");
        var cases = new CaseCommands(services);
        var opened = await cases.OpenCaseAsync(lead, "Every word", new Actor(owner.Id, WorkflowRole.Broker, "LV008"), DefinitionKey);
        Assert.True(opened.Succeeded, opened.Message);
        var details = (await cases.GetDetailsAsync(opened.Case!.Id))!;
        var step = details.Plan.GetStep("answer-everything");
        var checkIn = details.Plan.CheckIns.Single();
        Assert.All(Enum.GetValues<FieldType>(), t => Assert.Contains(step.Fields, f => f.Type == t));

        // Every kind of event after the opening, chained as the services chain them; the case ends withdrawn.
        var head = details.Case.AuditHeadHash;
        var seq = details.Case.AuditCount;
        var at = DateTimeOffset.UtcNow;
        await using (var c = await services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            foreach (var kind in CaseEventKinds.All.Where(k => k != CaseEventKinds.CaseOpened).Append(CaseEventKinds.CaseOpened))
            {
                var data = Data(kind, step, checkIn, kind == CaseEventKinds.PartnerShortlisted ? partner : lead, Guid.NewGuid(), Guid.NewGuid(), owner.Id, evaluatorUser.Id);
                var e = AuditChain.Append(details.Case.Id, ++seq, head, at.AddSeconds(seq), owner.Id, kind, step.Key, data.ToJsonString());
                await c.ExecuteAsync(
                    "INSERT INTO case_events (case_id, seq, id, occurred_at, actor_user_id, kind, step_key, data, prev_hash, hash) VALUES (@CaseId, @Seq, @Id, @OccurredAt, @ActorUserId, @Kind, @StepKey, @Data, @PrevHash, @Hash)", e);
                head = e.Hash;
            }

            await c.ExecuteAsync(
                "UPDATE cases SET status = 'closed', current_stage = NULL, current_step = 'withdrawn', closed_at = @at, audit_head_hash = @head, audit_count = @seq, version = version + 1 WHERE id = @id",
                new { at, head, seq, id = details.Case.Id });
        }

        var evaluator = await SignedInAsync(factory, "evaluator@tibs.example");
        foreach (var client in new[] { broker, evaluator })
        {
            var page = await client.GetDocumentAsync($"/cases/{details.Case.Id}");
            var timeline = page.QuerySelector("#timeline")!;
            var text = timeline.TextContent;

            Assert.Equal(seq, timeline.Children.Length);
            Assert.DoesNotMatch(GuidText(), text);
            Assert.DoesNotMatch(KeyEqualsValue(), text);
            Assert.All(CaseEventKinds.All, kind => Assert.DoesNotContain(kind, text, StringComparison.Ordinal));
            Assert.DoesNotContain("-key", text, StringComparison.Ordinal);
            Assert.DoesNotContain("-value", text, StringComparison.Ordinal);
            Assert.DoesNotContain("sustainable-innovation", text, StringComparison.Ordinal);
            Assert.DoesNotContain("answer-everything", text, StringComparison.Ordinal);
            Assert.DoesNotContain("LV008", text, StringComparison.Ordinal);
            Assert.All(CaseEventKinds.All, kind => Assert.Contains(CaseEventDisplay.Title(kind), text, StringComparison.Ordinal));
            Assert.Contains("Outcome: Answers recorded → Follow-up", text, StringComparison.Ordinal);
            Assert.Contains("Sustainable innovation and circular economy", text, StringComparison.Ordinal);
            Assert.Contains("C — Manufacturing", text, StringComparison.Ordinal);
            Assert.Contains("Vidzeme", text, StringComparison.Ordinal);
            Assert.Contains("Germany", text, StringComparison.Ordinal);
            Assert.Contains("12 March 2026", text, StringComparison.Ordinal);
            Assert.Contains("1,250.5", text, StringComparison.Ordinal);
            Assert.Contains("Option one label, Option two label", text, StringComparison.Ordinal);
            Assert.Contains("Gauja Sawmill", text, StringComparison.Ordinal);
            Assert.Contains("Hamburg Timber Digital", text, StringComparison.Ordinal);
            Assert.Contains("Contacted → Interested", text, StringComparison.Ordinal);
            Assert.Contains("On hold for 3 days 4 hours.", text, StringComparison.Ordinal);
            Assert.Contains("joint-strategy.pdf in 'File answer'", text, StringComparison.Ordinal);
            Assert.Contains("Quarterly check-in 1", text, StringComparison.Ordinal);
            Assert.Contains("Yes", timeline.QuerySelectorAll("dt").First(dt => dt.TextContent == "Boolean answer").NextElementSibling!.TextContent, StringComparison.Ordinal);
        }

        var work = await broker.GetDocumentAsync("/work");
        var activity = work.QuerySelector("#activity")!.TextContent;
        Assert.All(CaseEventKinds.All, kind => Assert.DoesNotContain(kind, activity, StringComparison.Ordinal));
        // The activity shows the latest twenty events: the last kinds written before the opening, in words.
        Assert.Contains(CaseEventDisplay.Title(CaseEventKinds.All.Last(k => k != CaseEventKinds.CaseOpened)), activity, StringComparison.Ordinal);
    }

    private static async Task<Guid> CompanyAsync(IServiceProvider services, string name, string country, string region)
    {
        var now = DateTimeOffset.UtcNow;
        var company = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            CountryCode = country,
            RegionCode = region,
            SizeClass = SizeClasses.Small,
            NaceCodes = ["C"],
            S3Areas = ["bioeconomy"],
            CreatedAt = now,
            UpdatedAt = now,
        };
        await services.GetRequiredService<ICompanyStore>().InsertAsync(company);
        return company.Id;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteWordsOnPagesTests(SqliteFixture fixture) : WordsOnPagesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresWordsOnPagesTests(PostgresFixture fixture) : WordsOnPagesTests(fixture);
