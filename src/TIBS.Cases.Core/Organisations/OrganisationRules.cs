using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Organisations;

/// <summary>The rules the organisation use cases share: who maintains them, what a usable organisation is, the answers in words.</summary>
internal static class OrganisationRules
{
    public const int MaxName = 200;
    public const int MaxWebAddress = 500;

    /// <summary>Coordinators and administrators maintain the partner organisations.</summary>
    public static bool MayMaintain(Actor actor) => !actor.IsSystem && actor.Role is WorkflowRole.Coordinator or WorkflowRole.Administrator;

    public static CaseCommandResult Forbidden() =>
        new(CaseCommandStatus.Forbidden, Localized.Text("Only coordinators and administrators may maintain partner organisations."));

    public static CaseCommandResult Invalid(IReadOnlyList<FieldError> problems) =>
        new(CaseCommandStatus.InvalidForm, problems[0].Message) { FieldErrors = problems };

    public static CaseCommandResult Conflict(string name) => new(CaseCommandStatus.Conflict,
        Localized.Format("Someone else changed {0} since you opened it. Nothing was saved; your input is kept and the saved values are shown: review them and save again.", name));

    public static CaseCommandResult NameTaken(string name, string country) =>
        Invalid([new FieldError("Name", Localized.Format("{0} already has an organisation named \"{1}\": choose another name, or edit that one.", Countries.Name(country), name))]);

    /// <summary>The fields as they will be stored, and the problems of each, naming the field; no problems when usable.</summary>
    public static (string Name, string? Kind, string? Country, string? WebAddress, List<FieldError> Problems) Check(string? name, string? kind, string? country, string? webAddress)
    {
        var problems = new List<FieldError>();
        var cleanName = string.Join(' ', (name ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (TextRules.ForbiddenCharacter(cleanName) is { } forbidden)
        {
            problems.Add(new FieldError("Name", Localized.Format("The name contains {0}, which cannot be stored; remove it.", forbidden)));
        }
        else if (cleanName.Length == 0)
        {
            problems.Add(new FieldError("Name", Localized.Text("Enter the organisation's name.")));
        }
        else if (cleanName.Length > MaxName)
        {
            problems.Add(new FieldError("Name", Localized.Format("The name is {0} characters long; at most {1} fit.", cleanName.Length, MaxName)));
        }

        if (!OrganisationKinds.IsKnown(kind))
        {
            problems.Add(new FieldError("Kind", Localized.Format("Choose the kind of organisation: {0}.", string.Join(", ", OrganisationKinds.All.Select(OrganisationKinds.DisplayName)))));
        }

        var code = country?.Trim().ToUpperInvariant();
        if (!ProgrammeCountries.IsProgrammeCountry(code))
        {
            problems.Add(new FieldError("CountryCode", Localized.Format("Choose the organisation's country: one of {0}.", string.Join(", ", ProgrammeCountries.All.Select(Countries.Name)))));
        }

        var web = string.IsNullOrWhiteSpace(webAddress) ? null : webAddress.Trim();
        if (web is not null && TextRules.ForbiddenCharacter(web) is { } inWeb)
        {
            problems.Add(new FieldError("WebAddress", Localized.Format("The web address contains {0}, which cannot be stored; remove it.", inWeb)));
        }
        else if (web is not null && (web.Length > MaxWebAddress || !Uri.TryCreate(web, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host)))
        {
            problems.Add(new FieldError("WebAddress", web.Length > MaxWebAddress
                ? Localized.Format("The web address is {0} characters long; at most {1} fit.", web.Length, MaxWebAddress)
                : Localized.Text("Enter the web address in full, starting with https:// (such as https://www.example.org), or leave it empty.")));
        }

        return (cleanName, kind, code, web, problems);
    }

    /// <summary>The organisation in words, for the log: "Vidzeme Planning Region (Regional development agency, Latvia, https://…)".</summary>
    public static string Describe(Organisation o) =>
        $"{o.Name} ({OrganisationKinds.EnglishName(o.Kind)}, {Countries.EnglishName(o.CountryCode)}{(o.WebAddress is null ? "" : ", " + o.WebAddress)})";

    public static AdministrationLogEntry Entry(Actor actor, string action, string details, DateTimeOffset now) =>
        AdministrationRules.Entry(actor, action, null, details, now);
}
