using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// The case handlers answer in the language of the person acting: a Latvian broker reads the field errors and
/// refusals in Latvian, a German partner broker in German, and English stays the default. Nothing is saved on a refusal
/// in any language.
/// </summary>
public abstract class CaseMessagesInLanguagesTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task An_empty_note_is_refused_with_the_field_error_in_the_brokers_language()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();

        var english = await env.Service.AddNoteAsync(c.Id, "  ", env.LatvianBroker);
        CaseCommandResult latvian, german;
        using (CultureScope.Of("lv"))
        {
            latvian = await env.Service.AddNoteAsync(c.Id, "  ", env.LatvianBroker);
        }

        using (CultureScope.Of("de"))
        {
            german = await env.Service.AddNoteAsync(c.Id, "  ", env.LatvianBroker);
        }

        Assert.Equal(("body", "Write the note first."), (Assert.Single(english.FieldErrors).Field, Assert.Single(english.FieldErrors).Message));
        Assert.Equal(("body", "Vispirms uzrakstiet piezīmi."), (Assert.Single(latvian.FieldErrors).Field, Assert.Single(latvian.FieldErrors).Message));
        Assert.Equal(("body", "Schreiben Sie zuerst die Notiz."), (Assert.Single(german.FieldErrors).Field, Assert.Single(german.FieldErrors).Message));
        Assert.All([english, latvian, german], r => Assert.Equal(CaseCommandStatus.InvalidForm, r.Status));
        Assert.Empty((await env.DetailsAsync(c.Id)).Notes);
    }

    [SkippableFact]
    public async Task A_step_without_an_outcome_and_a_stale_version_are_answered_in_latvian()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        using var latvian = CultureScope.Of("lv");

        var noOutcome = await env.Service.CompleteStepAsync(c.Id, c.Version, "", Empty, env.LatvianBroker);
        var stale = await env.Service.CompleteStepAsync(c.Id, c.Version + 5, "", Empty, env.LatvianBroker);

        Assert.Equal(("outcome", "Izvēlieties iznākumu, lai pabeigtu soli."), (Assert.Single(noOutcome.FieldErrors).Field, Assert.Single(noOutcome.FieldErrors).Message));
        Assert.Equal(CaseCommandStatus.Conflict, stale.Status);
        Assert.StartsWith("Kopš atvērāt šo lietu, kāds cits to ir mainījis", stale.Message, StringComparison.Ordinal);
        Assert.Equal(c.Version, (await env.DetailsAsync(c.Id)).Case.Version);
    }

    [SkippableFact]
    public async Task A_partner_command_refuses_in_german_and_its_result_names_the_region_in_words()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        CaseCommandResult shortlisted, wrongStatus, notTheirs;
        using (CultureScope.Of("de"))
        {
            shortlisted = await env.Service.ShortlistPartnerAsync(c.Id, c.Version, env.GermanPartner.Id, env.LatvianBroker);
            var details = await env.DetailsAsync(c.Id);
            var partner = details.Participants.Single(p => p.CompanyId == env.GermanPartner.Id);
            wrongStatus = await env.Service.SetPartnerStatusAsync(c.Id, details.Case.Version, partner.Id, "maybe", env.LatvianBroker);
            notTheirs = await env.Service.Shortlist.HandleAsync(new ShortlistPartner.Request(c.Id, details.Case.Version, env.LatvianNeighbour.Id), env.GermanBroker);
        }

        Assert.True(shortlisted.Succeeded, shortlisted.Message);
        Assert.StartsWith("Hamburg Maritime Analytics in die engere Wahl genommen. ", shortlisted.Message, StringComparison.Ordinal);
        Assert.Contains("Hamburg (DE60)", shortlisted.Message, StringComparison.Ordinal);
        var error = Assert.Single(wrongStatus.FieldErrors);
        Assert.Equal("status", error.Field);
        Assert.StartsWith("Der Partnerstatus muss einer der folgenden sein: ", error.Message, StringComparison.Ordinal);
        Assert.Equal((CaseCommandStatus.Forbidden, "Nur der Broker des Falls nimmt Partner in die engere Wahl."), (notTheirs.Status, notTheirs.Message));
    }

    [SkippableFact]
    public async Task A_closed_case_refuses_with_its_closing_date_in_the_readers_format()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        var withdrawn = await env.Service.ApplyCaseActionAsync(c.Id, c.Version, "withdraw", "The SME closed down.", env.LatvianBroker);
        Assert.True(withdrawn.Succeeded, withdrawn.Message);

        var english = await env.Service.AddNoteAsync(c.Id, "Too late.", env.LatvianBroker);
        CaseCommandResult latvian, german;
        using (CultureScope.Of("lv"))
        {
            latvian = await env.Service.AddNoteAsync(c.Id, "Par vēlu.", env.LatvianBroker);
        }

        using (CultureScope.Of("de"))
        {
            german = await env.Service.AddNoteAsync(c.Id, "Zu spät.", env.LatvianBroker);
        }

        var reference = withdrawn.Case!.Reference;
        Assert.Equal($"Case {reference} was closed on 2026-01-12; a closed case accepts no further changes.", english.Message);
        // Latvian writes the short date with a closing full stop (12.01.2026.).
        var latvianDay = new DateOnly(2026, 1, 12).ToString("d", Languages.FormatCulture("lv"));
        Assert.StartsWith("12.01.2026", latvianDay, StringComparison.Ordinal);
        Assert.Equal($"Lieta {reference} tika slēgta {latvianDay}; slēgtu lietu vairs nevar mainīt.", latvian.Message);
        Assert.Equal($"Fall {reference} wurde am 12.01.2026 abgeschlossen; ein abgeschlossener Fall kann nicht mehr geändert werden.", german.Message);
        Assert.All([english, latvian, german], r => Assert.Equal(CaseCommandStatus.Refused, r.Status));
    }

    [SkippableFact]
    public async Task A_definition_draft_that_does_not_exist_is_refused_in_polish_and_swedish()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var discard = env.Service.Handler<DiscardDefinitionDraft>();
        CaseCommandResult polish, swedish;
        using (CultureScope.Of("pl"))
        {
            polish = await discard.HandleAsync(new DiscardDefinitionDraft.Request("no-such-definition", Guid.NewGuid(), 1), env.Coordinator);
        }

        using (CultureScope.Of("sv"))
        {
            swedish = await discard.HandleAsync(new DiscardDefinitionDraft.Request("no-such-definition", Guid.NewGuid(), 1), env.Coordinator);
        }

        Assert.Equal((CaseCommandStatus.NotFound, "Nie znaleziono definicji procesu."), (polish.Status, polish.Message));
        Assert.Equal((CaseCommandStatus.NotFound, "Arbetsflödesdefinitionen hittades inte."), (swedish.Status, swedish.Message));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCaseMessagesInLanguagesTests(SqliteFixture fixture) : CaseMessagesInLanguagesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseMessagesInLanguagesTests(PostgresFixture fixture) : CaseMessagesInLanguagesTests(fixture);

/// <summary>The words a case page composes (statuses, roles, timeline titles, durations) follow the reader's language.</summary>
public sealed class CaseWordsInLanguagesTests
{
    [Fact]
    public void Statuses_roles_timeline_titles_and_durations_are_written_in_the_readers_language()
    {
        var english = Words();
        string[] latvian, finnish;
        using (CultureScope.Of("lv"))
        {
            latvian = Words();
        }

        using (CultureScope.Of("fi"))
        {
            finnish = Words();
        }

        Assert.Equal(["On hold", "partner broker", "Step completed", "2 days 1 hour", "Shortlisted"], english);
        Assert.Equal(["Apturēta", "partnera brokeris", "Solis pabeigts", "2 dienas 1 stunda", "Īsajā sarakstā"], latvian);
        Assert.Equal(["Pidossa", "kumppanin välittäjä", "Vaihe päätetty", "2 päivää 1 tunti", "Lyhyellä listalla"], finnish);

        static string[] Words() =>
        [
            TIBS.Cases.Core.Display.Words.CaseStatus(CaseStatus.OnHold),
            TIBS.Cases.Core.Display.Words.Role(TIBS.Cases.Workflows.Definitions.WorkflowRole.PartnerBroker),
            TIBS.Cases.Core.Display.CaseEventDisplay.Title(CaseEventKinds.StepCompleted),
            TIBS.Cases.Core.Display.Words.Duration(TimeSpan.FromHours(49)),
            TIBS.Cases.Core.Display.Words.PipelineStatus(PipelineStatus.Shortlisted),
        ];
    }
}
