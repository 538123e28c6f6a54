using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Privacy;

/// <summary>
/// The <c>Privacy</c> section: who is responsible for the personal data this installation holds, on which legal
/// basis, and how long each category is kept. The record of processing activities is generated from it, so the
/// record and the retention the system applies cannot disagree.
/// </summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Privacy";

    // The texts below are the operator's when configured (in the operator's words); unset, the record says the
    // defaults in the reader's language.
    private string? contactsLegalBasis;
    private string? usersLegalBasis;
    private string? auditLegalBasis;
    private string? transfers;

    /// <summary>The controller: the programme partner running this installation, with its postal address.</summary>
    public string Controller { get; set; } = "";

    /// <summary>How data subjects reach the controller about their data (an e-mail address or a web page).</summary>
    public string ControllerContact { get; set; } = "";

    /// <summary>The data protection officer's contact, where the controller has one.</summary>
    public string ProtectionOfficer { get; set; } = "";

    /// <summary>The legal basis for the contact persons of SMEs (the consent itself is recorded per contact).</summary>
    public string ContactsLegalBasis { get => contactsLegalBasis ?? Localized.Text("Consent of the contact person (GDPR Art. 6(1)(a)); its date and purpose are recorded with each contact."); set => contactsLegalBasis = value; }

    /// <summary>The legal basis for the accounts of brokers, coordinators, evaluators and administrators.</summary>
    public string UsersLegalBasis { get => usersLegalBasis ?? Localized.Text("Legitimate interest of the partner organisations in giving their staff secure, accountable access (GDPR Art. 6(1)(f))."); set => usersLegalBasis = value; }

    /// <summary>The legal basis for keeping the audit trail of strategies financed by the programme.</summary>
    public string AuditLegalBasis { get => auditLegalBasis ?? Localized.Text("Legal obligation to keep the records of programme-financed activities for audit (GDPR Art. 6(1)(c))."); set => auditLegalBasis = value; }

    /// <summary>Transfers outside the EU/EEA, in words; the system itself makes none.</summary>
    public string Transfers { get => transfers ?? Localized.Text("None. The system sends data only to the people and systems listed as recipients, all inside the EU/EEA unless the hosting or mail provider chosen by the controller is not."); set => transfers = value; }

    public RetentionOptions Retention { get; set; } = new();

    /// <summary>Every problem of the settings, with the setting's name; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        Months(problems, "Privacy:Retention:ContactsWithoutOpenCaseMonths", Retention.ContactsWithoutOpenCaseMonths);
        Months(problems, "Privacy:Retention:ClosedStrategiesMonths", Retention.ClosedStrategiesMonths);
        Months(problems, "Privacy:Retention:AttachmentsAfterClosureMonths", Retention.AttachmentsAfterClosureMonths);
        Months(problems, "Privacy:Retention:EndedSessionsMonths", Retention.EndedSessionsMonths);
        var cron = Retention.Cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (cron.Length is not (5 or 6) || !cron.All(f => f.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '*' or '/' or ',' or '-' or '?')))
        {
            problems.Add($"Privacy:Retention:Cron \"{Retention.Cron}\" is not a cron expression (five fields, e.g. \"30 2 * * *\" for 02:30 UTC every night).");
        }

        if (Retention.AttachmentsAfterClosureMonths > Retention.ClosedStrategiesMonths)
        {
            problems.Add($"Privacy:Retention:AttachmentsAfterClosureMonths ({Retention.AttachmentsAfterClosureMonths}) cannot be longer than Privacy:Retention:ClosedStrategiesMonths ({Retention.ClosedStrategiesMonths}): a closed strategy's attachments go with it at the latest.");
        }

        foreach (var (name, value) in new[] { ("Controller", Controller), ("ControllerContact", ControllerContact), ("ProtectionOfficer", ProtectionOfficer), ("ContactsLegalBasis", ContactsLegalBasis), ("UsersLegalBasis", UsersLegalBasis), ("AuditLegalBasis", AuditLegalBasis), ("Transfers", Transfers) })
        {
            if (value.Length > MaxTextLength)
            {
                problems.Add($"Privacy:{name} is {value.Length} characters long; at most {MaxTextLength} are allowed.");
            }
        }

        return problems;
    }

    public const int MaxTextLength = 2000;

    /// <summary>A retention period in whole months: at least one, at most fifty years.</summary>
    public const int MaxMonths = 600;

    private static void Months(List<string> problems, string setting, int months)
    {
        if (months is < 1 or > MaxMonths)
        {
            problems.Add($"{setting} is {months}; a retention period is a number of months from 1 to {MaxMonths}.");
        }
    }
}

/// <summary>How long each category of personal data is kept, in months; applied by the retention job.</summary>
public sealed class RetentionOptions
{
    /// <summary>Contact persons of a company with no open case: erased this long after the company's last case closed (or, without cases, after the contact was recorded).</summary>
    public int ContactsWithoutOpenCaseMonths { get; set; } = 24;

    /// <summary>Closed strategies: the personal data in their notes and attachments is erased this long after closing (ten years by default, the programme's audit period).</summary>
    public int ClosedStrategiesMonths { get; set; } = 120;

    /// <summary>Attachments of closed cases: their files are removed this long after the case closed.</summary>
    public int AttachmentsAfterClosureMonths { get; set; } = 60;

    /// <summary>Ended or expired sign-in sessions are removed this long after they ended.</summary>
    public int EndedSessionsMonths { get; set; } = 3;

    /// <summary>When the nightly dry run is made (cron, UTC; 02:30 by default).</summary>
    public string Cron { get; set; } = "30 2 * * *";

    /// <summary>Whether a report is applied by an administrator after review (the default) or by the next night's run.</summary>
    public RetentionApplication Apply { get; set; } = RetentionApplication.AfterReview;
}

/// <summary>Who applies a retention report: an administrator after reading it, or the next nightly run.</summary>
public enum RetentionApplication
{
    /// <summary>An administrator reads the dry run's report and applies it on the retention page.</summary>
    AfterReview,

    /// <summary>Each night's run applies the previous night's report (what is still due), then makes a new dry run.</summary>
    Automatically,
}
