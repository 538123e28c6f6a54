using System.Globalization;
using System.Text;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Requests;

namespace TIBS.Cases.Core.Privacy;

/// <summary>Where one kind of personal data is stored: a table (or the file store) and its columns, in words.</summary>
public sealed record PersonalDataPlace(string What, string Where);

/// <summary>The lifetimes the installation configures outside <see cref="PrivacyOptions"/>: a session's longest life, how long failed sign-ins are remembered, a one-time link's life.</summary>
public sealed record ProcessingLifetimes(TimeSpan Session, TimeSpan ThrottleMemory, TimeSpan Link)
{
    public static ProcessingLifetimes Defaults { get; } = new(new SessionSettings().AbsoluteLifetime, new SignInThrottleSettings().ForgetAfter, new UserLinkSettings().Lifetime);
}

/// <summary>The record of processing activities of this installation, as its administrators see it.</summary>
public sealed class GetRecordOfProcessing(PrivacyOptions options, ProcessingLifetimes lifetimes)
{
    public RecordOfProcessing Handle() => RecordOfProcessing.Build(options, lifetimes);
}

/// <summary>One processing activity of the record (GDPR Art. 30(1)).</summary>
public sealed record ProcessingActivity(
    string Name,
    string Purpose,
    string LegalBasis,
    string DataSubjects,
    IReadOnlyList<PersonalDataPlace> Data,
    string Source,
    string Recipients,
    IReadOnlyList<string> Retention);

/// <summary>
/// The record of processing activities of this installation, generated from <see cref="PrivacyOptions"/> and the
/// fixed lifetimes of the code (sessions, sign-in throttling, links, idempotency keys), so that it says what the
/// system does. Shown to administrators at <c>/admin/privacy</c>, printed by <c>privacy record</c>, and kept for the
/// defaults in <c>docs/privacy.md</c>.
/// </summary>
public sealed record RecordOfProcessing(PrivacyOptions Options, IReadOnlyList<ProcessingActivity> Activities, IReadOnlyList<string> SecurityMeasures)
{
    public static RecordOfProcessing Build(PrivacyOptions options, ProcessingLifetimes? lifetimes = null)
    {
        var r = options.Retention;
        var fixedLifetimes = lifetimes ?? ProcessingLifetimes.Defaults;
        IReadOnlyList<ProcessingActivity> activities =
        [
            new(
                Localized.Text("Brokerage of SME Joint Smart Strategies"),
                Localized.Text("Finding partners abroad for small and medium enterprises and following their joint strategy from needs assessment through partner search and agreement to follow-up."),
                options.ContactsLegalBasis,
                Localized.Text("Contact persons of the SMEs and of their partners."),
                [
                    new(Localized.Text("Name, role, e-mail address and telephone number; the date and purpose of their consent"), "company_contacts"),
                    new(Localized.Text("Notes marked as containing a contact person's personal data"), "personal_data (the vault), referred to by case_events"),
                    new(Localized.Text("Free text typed into notes, messages between brokers and step forms, which may name people"), "case_notes, case_messages, case_steps.form_data, case_check_ins.form_data, case_drafts, case_events"),
                    new(Localized.Text("Files attached to steps (names, contents)"), "case_attachments and the attachment store"),
                    new(Localized.Text("Texts of notifications and e-mails about the case"), "notifications"),
                ],
                Localized.Text("The SME itself, through its broker, and company imports made by brokers."),
                Localized.Text("Brokers of the case's regions and of the partner regions, the programme's coordinators and evaluators; systems holding an API token with the matching scope (events feed, case and company resources); the mail server configured in Mail."),
                [
                    Localized.Format("Contact persons of a company with no open case are erased {0} after the company's last case closed (Privacy:Retention:ContactsWithoutOpenCaseMonths).", MonthsInWords(r.ContactsWithoutOpenCaseMonths)),
                    Localized.Format("Files attached to a closed case are removed {0} after it closed; their name and size stay as \"removed\" (Privacy:Retention:AttachmentsAfterClosureMonths).", MonthsInWords(r.AttachmentsAfterClosureMonths)),
                    Localized.Format("The personal data remaining in a closed strategy is erased {0} after it closed (Privacy:Retention:ClosedStrategiesMonths).", MonthsInWords(r.ClosedStrategiesMonths)),
                    Localized.Text("A contact person can ask for erasure at any time; an administrator erases them and the erasure is published to the events feed."),
                ]),
            new(
                Localized.Text("User accounts and access control"),
                Localized.Text("Signing people in, deciding what each may see and do by role and region, and ending access when they leave."),
                options.UsersLegalBasis,
                Localized.Text("Brokers, coordinators, evaluators and administrators of the partner organisations."),
                [
                    new(Localized.Text("Name, e-mail address, role, regions, organisation, interface language, digest preference"), "users, user_regions"),
                    new(Localized.Text("Password hash, two-step sign-in secret (encrypted) and recovery codes (hashed)"), "users.password_hash, user_two_step, user_recovery_codes"),
                    new(Localized.Text("Sign-in sessions with times and a hash of the browser's user agent"), "user_sessions"),
                    new(Localized.Text("Failed sign-ins per e-mail address and per network address"), "sign_in_throttle"),
                    new(Localized.Text("Invitation and password links (hashed) and personal access tokens (hashed)"), "user_links, access_tokens"),
                    new(Localized.Text("The identity at the single sign-on provider (issuer and subject) once linked"), "user_external_logins"),
                    new(Localized.Text("Absences (first and last day) and the deputy chosen"), "user_absences"),
                ],
                Localized.Text("Administrators (invitations, roles, regions) and the users themselves (profile, password, two-step sign-in)."),
                Localized.Text("Administrators; evaluators and administrators read the administration log."),
                [
                    Localized.Text("Accounts are kept while the person works in the programme; a deactivated account keeps its name so that the audit trail can say who did what."),
                    Localized.Format("Sessions are removed {0} after they ended or expired (Privacy:Retention:EndedSessionsMonths); a session lasts at most {1}.", MonthsInWords(r.EndedSessionsMonths), Hours(fixedLifetimes.Session)),
                    Localized.Format("Failed sign-ins are forgotten {0} after the last one.", Hours(fixedLifetimes.ThrottleMemory)),
                    Localized.Format("Invitation and password links expire after {0}.", Hours(fixedLifetimes.Link)),
                    Localized.Format("Recorded API answers (idempotency keys) are removed after {0}.", Hours(IdempotentRequests.Lifetime)),
                ]),
            new(
                Localized.Text("Training and certification of brokers"),
                Localized.Text("Recording the programme's training of brokers, its expiry, and reminding brokers before it runs out."),
                options.UsersLegalBasis,
                Localized.Text("Brokers; trainers named on a completion."),
                [
                    new(Localized.Text("Completed modules with date, expiry and trainer"), "training_completions"),
                    new(Localized.Text("Certificate files"), "training_completions (name, size, hash) and the attachment store"),
                    new(Localized.Text("Reminders before expiry"), "reminders"),
                ],
                Localized.Text("Coordinators record completions."),
                Localized.Text("Coordinators and administrators; the broker sees their own."),
                [Localized.Text("Kept while the broker's account exists.")]),
            new(
                Localized.Text("Audit trail and accountability"),
                Localized.Text("Keeping tamper-evident evidence of every change of a strategy and of every administrative action, for the programme's evaluators and auditors."),
                options.AuditLegalBasis,
                Localized.Text("Everyone who acts in the system, and the contact persons named in case events."),
                [
                    new(Localized.Text("Who did what and when, in each case's hash-chained events"), "case_events (marked personal data by reference to personal_data)"),
                    new(Localized.Text("Administrative actions with the acting and the affected user"), "administration_log"),
                    new(Localized.Text("Audit findings and samples with the evaluator who recorded them"), "audit_findings, audit_samples"),
                    new(Localized.Text("Signed checkpoints (hashes only, no personal data)"), "audit_checkpoints and the anchor files"),
                ],
                Localized.Text("Generated by the system from each action."),
                Localized.Text("Evaluators, administrators, and brokers of the case; systems reading the events feed."),
                [
                    Localized.Format("Kept with the strategy: {0} after it closed (Privacy:Retention:ClosedStrategiesMonths); erased personal data leaves the events' hashes and the words \"erased on <date>\".", MonthsInWords(r.ClosedStrategiesMonths)),
                ]),
        ];
        IReadOnlyList<string> security =
        [
            Localized.Text("Access by role and region, decided in one place for each kind of record."),
            Localized.Text("Passwords hashed with PBKDF2 (ASP.NET Core Identity's hasher); the list of common passwords is refused; two-step sign-in required for administrators and coordinators by default (Authentication:RequireTwoStepFor)."),
            Localized.Text("Sessions end at once on deactivation, and other sessions on a password change; failed sign-ins are slowed down per account and per network address."),
            Localized.Text("The key ring behind sign-in cookies is stored encrypted with a key kept outside the database (DataProtection:KeyFile)."),
            Localized.Text("Every change of a case is hash-chained; signed checkpoints (Audit:SigningKeyFile) anchor the chains outside the database."),
            Localized.Text("Personal data erasable without breaking the audit trail: personal fields are stored once, referred to by the events, and erased there."),
        ];
        return new RecordOfProcessing(options, activities, security);
    }

    /// <summary>The record as Markdown (the page shows the same content; <c>docs/privacy.md</c> is this for the defaults).</summary>
    public string ToMarkdown()
    {
        var o = Options;
        var md = new StringBuilder();
        md.Append(CultureInfo.CurrentCulture, $"# {Localized.Text("Record of processing activities")}\n\n");
        md.Append(Localized.Text("Generated from this installation's `Privacy` settings by `dotnet TIBS.Cases.Web.dll privacy record`; administrators see the same at `/admin/privacy`.")).Append(' ');
        md.Append(Localized.Text("This copy shows the defaults; each installation's controller completes its own.")).Append("\n\n");
        md.Append(CultureInfo.CurrentCulture, $"## {Localized.Text("Controller")}\n\n");
        md.Append(CultureInfo.CurrentCulture, $"- **{Localized.Text("Controller")}:** {Or(o.Controller, "Controller")}\n");
        md.Append(CultureInfo.CurrentCulture, $"- **{Localized.Text("Contact for data subjects")}:** {Or(o.ControllerContact, "ControllerContact")}\n");
        md.Append(CultureInfo.CurrentCulture, $"- **{Localized.Text("Data protection officer")}:** {Or(o.ProtectionOfficer, "ProtectionOfficer")}\n");
        md.Append(CultureInfo.CurrentCulture, $"- **{Localized.Text("Transfers outside the EU/EEA")}:** {o.Transfers}\n\n");
        foreach (var a in Activities)
        {
            md.Append($"## {a.Name}\n\n");
            md.Append(CultureInfo.CurrentCulture, $"- **{Localized.Text("Purpose")}:** {a.Purpose}\n");
            md.Append(CultureInfo.CurrentCulture, $"- **{Localized.Text("Legal basis")}:** {a.LegalBasis}\n");
            md.Append(CultureInfo.CurrentCulture, $"- **{Localized.Text("Data subjects")}:** {a.DataSubjects}\n");
            md.Append(CultureInfo.CurrentCulture, $"- **{Localized.Text("Source")}:** {a.Source}\n");
            md.Append(CultureInfo.CurrentCulture, $"- **{Localized.Text("Recipients")}:** {a.Recipients}\n\n");
            md.Append(CultureInfo.CurrentCulture, $"| {Localized.Text("Personal data")} | {Localized.Text("Where it is stored")} |\n|---|---|\n");
            foreach (var d in a.Data)
            {
                md.Append($"| {Cell(d.What)} | {Cell(d.Where)} |\n");
            }

            md.Append(CultureInfo.CurrentCulture, $"\n**{Localized.Text("Retention")}:**\n\n");
            foreach (var line in a.Retention)
            {
                md.Append($"- {line}\n");
            }

            md.Append('\n');
        }

        md.Append(CultureInfo.CurrentCulture, $"## {Localized.Text("Security measures")}\n\n");
        foreach (var s in SecurityMeasures)
        {
            md.Append($"- {s}\n");
        }

        return md.ToString();
    }

    /// <summary>A setting's value, or words saying it is not set.</summary>
    public static string Or(string value, string setting) =>
        string.IsNullOrWhiteSpace(value) ? Localized.Format("(not set: Privacy:{0})", setting) : value.Trim();

    /// <summary>A number of months in English words ("2 years"): the words written into erasure records, which stay English.</summary>
    public static string Months(int months) => months % 12 == 0
        ? (months == 12 ? "1 year" : $"{months / 12} years")
        : (months == 1 ? "1 month" : $"{months} months");

    /// <summary>A number of months in the reader's words ("2 years", "2 gadi").</summary>
    private static string MonthsInWords(int months) => months % 12 == 0
        ? Plural.Count(months / 12, "1 year", "{0} years")
        : Plural.Count(months, "1 month", "{0} months");

    private static string Hours(TimeSpan span) => span.TotalHours >= 1
        ? Plural.Count((long)span.TotalHours, "1 hour", "{0:0} hours")
        : Plural.Count((long)span.TotalMinutes, "1 minute", "{0:0} minutes");

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
