using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.PersonalData;

/// <summary>
/// The export of everything TIBS holds about a contact person or a user (decision 0043): a ZIP with one JSON and one
/// CSV file per category, each item naming where it is kept (table, or the case and its audit trail) and why (purpose
/// and legal basis). Administrators export anyone; a user exports their own data. Every table and text column of the
/// database is searched for the person's name and e-mail (and, for a contact person, phone and role title), so a place
/// added later is exported too. Also finds contact persons by name for the administrators' personal-data page.
/// </summary>
public sealed class ExportPersonalData(IPersonalDataStore vault, ICompanyStore companies, IUserStore users, TimeProvider time)
{
    /// <summary>Which person: a contact person (with their company) or a user.</summary>
    public sealed record Request(string SubjectKind, Guid SubjectId, Guid? CompanyId = null);

    /// <summary>The ZIP, or why there is none.</summary>
    public sealed record Result(CaseCommandStatus Status, string Message, string? FileName = null, byte[]? Zip = null);

    /// <summary>One item of the export: its category, where it is kept, why, and its values.</summary>
    public sealed record Item(string Category, string Source, string Purpose, string LegalBasis, IReadOnlyDictionary<string, string?> Values);

    /// <summary>Contact persons found by name or e-mail, for administrators (empty for anyone else or an empty search).</summary>
    public async Task<IReadOnlyList<ContactOfCompany>> FindContactsAsync(string? text, Actor actor, CancellationToken cancellationToken = default) =>
        EraseContactPerson.MayErase(actor) && text?.Trim() is { Length: > 0 } t ? await vault.SearchContactsAsync(t, cancellationToken) : [];

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var own = request.SubjectKind == PersonalSubjectKinds.User && !actor.IsSystem && actor.UserId == request.SubjectId;
        if (!own && !EraseContactPerson.MayErase(actor))
        {
            return new Result(CaseCommandStatus.Forbidden, Localized.Text("Only administrators may export another person's personal data; everyone may export their own from their profile."));
        }

        var items = request.SubjectKind == PersonalSubjectKinds.Contact
            ? await ContactItemsAsync(request, cancellationToken)
            : await UserItemsAsync(request.SubjectId, cancellationToken);
        if (items is null)
        {
            return new Result(CaseCommandStatus.NotFound, request.SubjectKind == PersonalSubjectKinds.Contact ? Localized.Text("The contact person was not found.") : Localized.Text("The user was not found."));
        }

        var name = $"personal-data-{request.SubjectKind}-{request.SubjectId:N}-{time.GetUtcNow():yyyy-MM-dd}";
        return new Result(CaseCommandStatus.Done, items.Count == 1 ? Localized.Text("1 item.") : Localized.Format("{0} items.", items.Count), name + ".zip", Zip(items));
    }

    /// <summary>The items of the export (what the ZIP holds), for a contact person or a user; null when there is no such person.</summary>
    public async Task<IReadOnlyList<Item>?> ItemsAsync(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.SubjectKind == PersonalSubjectKinds.Contact ? await ContactItemsAsync(request, cancellationToken) : await UserItemsAsync(request.SubjectId, cancellationToken);
    }

    private async Task<List<Item>?> ContactItemsAsync(Request request, CancellationToken ct)
    {
        var company = request.CompanyId is { } id ? await companies.GetAsync(id, ct) : null;
        var contact = company?.Contacts.FirstOrDefault(c => c.Id == request.SubjectId);
        if (company is null || contact is null)
        {
            return null;
        }

        var purpose = contact.ConsentPurpose is { Length: > 0 } p ? p : "Brokerage: contacting the company about partner searches and its cases (no consent purpose recorded)";
        var basis = LegalBases.Label(contact.ConsentLegalBasis);
        var items = new List<Item>
        {
            new("contact-person", $"company_contacts (contact person of {company.Name})", purpose, basis, new Dictionary<string, string?>
            {
                ["name"] = contact.Name, ["role"] = contact.Role, ["email"] = contact.Email, ["phone"] = contact.Phone,
                ["consentDate"] = contact.ConsentDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["consentPurpose"] = contact.ConsentPurpose,
            }),
        };
        foreach (var row in await vault.OfSubjectAsync(PersonalSubjectKinds.Contact, contact.Id, ct))
        {
            items.Add(new("notes", $"{row.Source} and its note-added audit event (case {row.CaseId})", purpose, basis, new Dictionary<string, string?>
            {
                ["reference"] = row.Ref.ToString(),
                ["text"] = row.Value ?? PersonalValue.Erased(row.ErasedAt),
                ["written"] = row.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            }));
        }

        items.AddRange(Found(await vault.FindRowsAsync(Values(contact.Name, contact.Email, contact.Phone, contact.Role), ct), "company_contacts", purpose, basis));
        return items;
    }

    private async Task<List<Item>?> UserItemsAsync(Guid userId, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(userId, ct);
        if (user is null)
        {
            return null;
        }

        const string purpose = "Running the brokerage programme: the user's account, sign-in, the cases they work on and the audit trail of what they did";
        const string basis = "Contract (GDPR Art. 6(1)(b)) and legal obligation to keep the programme's audit trail (Art. 6(1)(c))";
        var items = new List<Item>
        {
            new("account", "users", purpose, basis, new Dictionary<string, string?>
            {
                ["id"] = user.Id.ToString(), ["name"] = user.DisplayName, ["email"] = user.Email, ["role"] = user.Role.ToString(), ["region"] = user.RegionCode,
            }),
        };
        items.AddRange(Found(await vault.FindRowsAsync(Values(user.Email, user.DisplayName), ct), null, purpose, basis));
        items.AddRange((await vault.ActedEventsAsync(user.Id, ct)).Select(r =>
            new Item("audit-trail", $"case_events (the audit trail of case {r.Columns["case"]}: what the user did)", purpose, basis, r.Columns)));
        return items;
    }

    private static IEnumerable<Item> Found(IReadOnlyList<FoundRow> rows, string? skip, string purpose, string basis) =>
        rows.Where(r => !string.Equals(r.Table, skip, StringComparison.OrdinalIgnoreCase) && !string.Equals(r.Table, "personal_data", StringComparison.OrdinalIgnoreCase))
            .Select(r => new Item(Category(r.Table), r.Table == "case_events" ? "case_events (the audit trail of a case)" : r.Table, purpose, basis, r.Columns));

    private static string Category(string table) => table switch
    {
        "case_events" => "audit-trail",
        "users" or "user_regions" or "user_sessions" or "user_links" or "user_two_step" => "account",
        "administration_log" => "administration-log",
        "notifications" or "reminders" => "notifications",
        _ => "other-" + table.Replace('_', '-'),
    };

    private static List<string> Values(params string?[] values) => [.. values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim())];

    private static byte[] Zip(IReadOnlyList<Item> items)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var category in items.GroupBy(i => i.Category))
            {
                using (var json = zip.CreateEntry(category.Key + ".json").Open())
                {
                    JsonSerializer.Serialize(json, category.Select(i => new { source = i.Source, purpose = i.Purpose, legalBasis = i.LegalBasis, values = i.Values }), JsonOptions);
                }

                var columns = category.SelectMany(i => i.Values.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                var csv = new StringBuilder();
                csv.AppendLine(string.Join(",", new[] { "source", "purpose", "legal basis" }.Concat(columns).Select(Cell)));
                foreach (var i in category)
                {
                    csv.AppendLine(string.Join(",", new[] { i.Source, i.Purpose, i.LegalBasis }.Concat(columns.Select(c => i.Values.GetValueOrDefault(c))).Select(Cell)));
                }

                using var writer = new StreamWriter(zip.CreateEntry(category.Key + ".csv").Open(), new UTF8Encoding(true));
                writer.Write(csv.ToString());
            }
        }

        return buffer.ToArray();
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private static string Cell(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

/// <summary>The legal bases (GDPR Art. 6(1)) a contact person's data may be kept on, recorded with the consent purpose.</summary>
public static class LegalBases
{
    public const string Consent = "consent";
    public const string Contract = "contract";
    public const string LegitimateInterests = "legitimate-interests";
    public const string PublicTask = "public-task";

    public static IReadOnlyList<string> All { get; } = [Consent, Contract, LegitimateInterests, PublicTask];

    public static string Label(string? basis) => basis switch
    {
        Consent => "Consent of the person (GDPR Art. 6(1)(a))",
        Contract => "A contract with the person or steps before one (GDPR Art. 6(1)(b))",
        LegitimateInterests => "Legitimate interests of the programme (GDPR Art. 6(1)(f))",
        PublicTask => "A task in the public interest: the EU-funded programme (GDPR Art. 6(1)(e))",
        _ => "Not recorded",
    };
}
