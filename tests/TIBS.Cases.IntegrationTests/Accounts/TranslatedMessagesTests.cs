using Dapper;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Absences;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies.Merge;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Core.Training;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Accounts;

/// <summary>
/// The handlers of people, organisations and training answer in the reader's language, on each database: a field
/// error, a refusal with a date written the language's way, a result naming a record; English again outside the scope.
/// </summary>
public abstract class TranslatedMessagesTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(CaseEnvironment Env, UserAccount Anna)> AnnaAsync()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        await using (var c = await fixture.Factory.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE users SET display_name = 'Anna Berg' WHERE id = @id", new { id = env.LatvianBroker.UserId });
        }

        return (env, (await env.Users.FindByIdAsync(env.LatvianBroker.UserId))!);
    }

    private static string? Error(IReadOnlyList<Workflows.Forms.FieldError> errors, string field) => errors.FirstOrDefault(e => e.Field == field)?.Message;

    [SkippableFact]
    public async Task An_absence_is_refused_in_Latvian_and_German_with_the_days_written_the_language_s_way()
    {
        var (env, anna) = await AnnaAsync();
        var record = env.Service.Handler<RecordAbsence>();

        CaseCommandResult noDeputy, passed;
        using (CultureScope.Of("lv"))
        {
            noDeputy = await record.HandleAsync(new RecordAbsence.Request(anna.Id, "2026-01-13", "2026-01-20", null), anna.AsActor());
        }

        using (CultureScope.Of("de"))
        {
            passed = await record.HandleAsync(new RecordAbsence.Request(anna.Id, "2026-01-11", "2026-01-20", null), anna.AsActor());
        }

        var english = await record.HandleAsync(new RecordAbsence.Request(anna.Id, "2026-01-13", "2026-01-20", null), anna.AsActor());

        Assert.Equal(CaseCommandStatus.InvalidForm, noDeputy.Status);
        Assert.Equal("Izvēlieties aizvietotāju — personu, kas pārņems darbu jūsu prombūtnes laikā.", Error(noDeputy.FieldErrors, "DeputyUserId"));
        Assert.Equal("Der erste Tag (Sonntag, 11. Januar 2026) ist vorbei: Eine Abwesenheit beginnt heute (Montag, 12. Januar 2026) oder später.", Error(passed.FieldErrors, "StartsOn"));
        Assert.Equal("Choose a deputy: the person who takes over the work while you are away.", Error(english.FieldErrors, "DeputyUserId"));
    }

    [SkippableFact]
    public async Task Own_profile_and_partner_organisations_answer_in_German_and_Latvian()
    {
        var (env, anna) = await AnnaAsync();
        CaseCommandResult emptyName, saved, noName, added;
        string kind;
        using (CultureScope.Of("de"))
        {
            emptyName = await env.Service.Handler<UpdateProfile>().HandleAsync(new UpdateProfile.Request("  "), anna.AsActor());
            saved = await env.Service.Handler<UpdateProfile>().HandleAsync(new UpdateProfile.Request("Anna Bērziņa"), anna.AsActor());
        }

        using (CultureScope.Of("lv"))
        {
            noName = await env.Service.Handler<AddOrganisation>().HandleAsync(new AddOrganisation.Request(" ", "other", "XX", "ftp://x"), env.Coordinator);
            added = await env.Service.Handler<AddOrganisation>().HandleAsync(new AddOrganisation.Request("Vidzemes plānošanas reģions", OrganisationKinds.RegionalDevelopmentAgency, "LV", null), env.Coordinator);
            kind = OrganisationKinds.DisplayName(OrganisationKinds.RegionalDevelopmentAgency);
        }

        Assert.Equal("Geben Sie Ihren Namen so ein, wie Kolleginnen und Kollegen ihn sehen sollen.", Error(emptyName.FieldErrors, "DisplayName"));
        Assert.Equal("Profil gespeichert: Name Anna Berg → Anna Bērziņa.", saved.Message);
        Assert.Equal("Ievadiet organizācijas nosaukumu.", Error(noName.FieldErrors, "Name"));
        Assert.StartsWith("Izvēlieties organizācijas valsti: vienu no ", Error(noName.FieldErrors, "CountryCode"), StringComparison.Ordinal);
        Assert.Equal("Ievadiet pilnu tīmekļa adresi, kas sākas ar https:// (piemēram, https://www.example.org), vai atstājiet tukšu.", Error(noName.FieldErrors, "WebAddress"));
        Assert.Equal("Vidzemes plānošanas reģions ir pievienota.", added.Message);
        Assert.Equal("Reģionālās attīstības aģentūra", kind);
        Assert.Equal("Regional development agency", OrganisationKinds.DisplayName(OrganisationKinds.RegionalDevelopmentAgency));
    }

    [SkippableFact]
    public async Task A_training_module_is_refused_in_Polish_and_a_too_long_title_is_measured_in_Latvian()
    {
        var (env, _) = await AnnaAsync();
        var save = env.Service.Handler<SaveTrainingModule>();
        TrainingResult untitled, tooLong;
        using (CultureScope.Of("pl"))
        {
            untitled = await save.HandleAsync(new SaveTrainingModule.Request(null, 0, "", "", "abc", true, true), env.Coordinator);
        }

        using (CultureScope.Of("lv"))
        {
            tooLong = await save.HandleAsync(new SaveTrainingModule.Request(null, 0, new string('x', SaveTrainingModule.MaxTitleLength + 1), "", null, true, true), env.Coordinator);
        }

        Assert.Equal("Nadaj modułowi tytuł.", Error(untitled.FieldErrors, "title"));
        Assert.Equal("Ważność 'abc' nie jest liczbą miesięcy od 1 do 240; pozostaw puste, jeśli szkolenie nie wygasa.", Error(untitled.FieldErrors, "validity"));
        Assert.Equal($"Nosaukums: pārāk garš — ne vairāk kā {SaveTrainingModule.MaxTitleLength} rakstzīmes (ir {SaveTrainingModule.MaxTitleLength + 1}).", Error(tooLong.FieldErrors, "title"));
    }

    [SkippableFact]
    public async Task Merging_companies_is_refused_in_Swedish_and_Danish()
    {
        var (env, anna) = await AnnaAsync();
        var merge = env.Service.Handler<MergeCompanies>();
        var company = Guid.NewGuid();
        MergeCompanies.Result byBroker, intoItself;
        using (CultureScope.Of("sv"))
        {
            byBroker = await merge.HandleAsync(new MergeCompanies.Request(company, Guid.NewGuid()), anna.AsActor());
        }

        using (CultureScope.Of("da"))
        {
            intoItself = await merge.HandleAsync(new MergeCompanies.Request(company, company), env.Coordinator);
        }

        Assert.Equal((CaseCommandStatus.Forbidden, "Endast koordinatorer slår samman företag."), (byBroker.Status, byBroker.Message));
        Assert.Equal((CaseCommandStatus.Refused, "En virksomhed kan ikke sammenlægges med sig selv: vælg to forskellige virksomheder."), (intoItself.Status, intoItself.Message));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTranslatedMessagesTests(SqliteFixture fixture) : TranslatedMessagesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTranslatedMessagesTests(PostgresFixture fixture) : TranslatedMessagesTests(fixture);
