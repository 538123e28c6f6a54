using NpgsqlTypes;

namespace TIBS.Cases.Testing.Seeding;

/// <summary>The kind of a seeded column: how each provider is given the value.</summary>
internal enum SeedType
{
    Uuid,
    Text,
    Int,
    Long,
    Bool,
    Timestamp,
    Date,
    Numeric,
}

/// <summary>A column the seed writes (its name is the same on every provider).</summary>
internal sealed record SeedColumn(string Name, SeedType Type)
{
    public NpgsqlDbType PostgresType => Type switch
    {
        SeedType.Uuid => NpgsqlDbType.Uuid,
        SeedType.Int => NpgsqlDbType.Integer,
        SeedType.Long => NpgsqlDbType.Bigint,
        SeedType.Bool => NpgsqlDbType.Boolean,
        SeedType.Timestamp => NpgsqlDbType.TimestampTz,
        SeedType.Date => NpgsqlDbType.Date,
        SeedType.Numeric => NpgsqlDbType.Numeric,
        _ => NpgsqlDbType.Text,
    };
}

/// <summary>
/// A table the seed fills and the columns it writes, in the order the rows carry their values. Tables are written in
/// <see cref="SeedTables.All"/> order, parents before children, so every foreign key finds its row.
/// </summary>
internal sealed class SeedTable(string name, params SeedColumn[] columns)
{
    public string Name { get; } = name;
    public IReadOnlyList<SeedColumn> Columns { get; } = columns;
}

internal static class SeedTables
{
    private static SeedColumn U(string n) => new(n, SeedType.Uuid);
    private static SeedColumn S(string n) => new(n, SeedType.Text);
    private static SeedColumn I(string n) => new(n, SeedType.Int);
    private static SeedColumn L(string n) => new(n, SeedType.Long);
    private static SeedColumn T(string n) => new(n, SeedType.Timestamp);

    public static readonly SeedTable Companies = new("companies",
        U("id"), S("name"), S("country_code"), S("region_code"), S("size_class"), S("register_number"), I("year_founded"), S("website"), S("offers"),
        S("needs"), S("keywords"), S("languages"), U("created_by"), T("created_at"), T("updated_at"), I("version"), S("search_name"), S("search_text"));

    public static readonly SeedTable CompanyNace = new("company_nace_codes", U("company_id"), S("nace_code"));
    public static readonly SeedTable CompanyS3 = new("company_s3_areas", U("company_id"), S("s3_code"));

    public static readonly SeedTable CompanyContacts = new("company_contacts",
        U("id"), U("company_id"), S("name"), S("role"), S("email"), S("phone"), new SeedColumn("consent_date", SeedType.Date), S("consent_purpose"), S("consent_legal_basis"));

    public static readonly SeedTable Cases = new("cases",
        U("id"), S("reference"), S("title"), U("definition_version_id"), U("lead_company_id"), S("region_code"), U("owner_user_id"), S("status"),
        S("current_stage"), S("current_step"), T("step_started_at"), T("step_due_at"), T("hold_started_at"), S("data"), I("version"),
        S("audit_head_hash"), I("audit_count"), T("opened_at"), T("updated_at"), T("closed_at"), S("search_text"));

    public static readonly SeedTable Participants = new("case_participants",
        U("id"), U("case_id"), U("company_id"), S("region_code"), S("role"), S("pipeline_status"), new SeedColumn("match_score", SeedType.Numeric),
        U("added_by"), T("added_at"), T("updated_at"));

    public static readonly SeedTable Steps = new("case_steps",
        U("id"), U("case_id"), S("step_key"), S("stage_key"), T("started_at"), T("due_at"), T("completed_at"), U("completed_by"), S("outcome"), S("form_data"));

    public static readonly SeedTable Tracks = new("case_tracks",
        U("id"), U("case_id"), U("case_step_id"), U("participant_id"), S("step_key"), S("state"), S("status"), I("version"), S("performer_role"),
        S("region_code"), T("started_at"), T("due_at"), T("ended_at"), T("updated_at"));

    /// <summary>The events; SQLite also takes feed_position and feed_commit (PostgreSQL numbers them itself).</summary>
    public static readonly SeedTable Events = new("case_events",
        U("case_id"), I("seq"), U("id"), T("occurred_at"), U("actor_user_id"), S("kind"), S("step_key"), S("data"), S("prev_hash"), S("hash"));

    public static readonly SeedTable Reminders = new("reminders",
        U("id"), U("case_id"), U("case_step_id"), S("step_key"), S("notice_key"), S("kind"), S("recipient_role"), T("due_at"), S("status"),
        S("description"), I("attempts"), T("sent_at"), T("created_at"), U("case_track_id"));

    public static readonly SeedTable CheckIns = new("case_check_ins",
        U("id"), U("case_id"), U("case_step_id"), S("check_in_key"), I("occurrence"), T("due_at"), T("recorded_at"), U("recorded_by"), S("form_data"));

    public static readonly SeedTable Notes = new("case_notes", U("id"), U("case_id"), U("author_user_id"), S("body"), T("created_at"));

    public static readonly SeedTable Attachments = new("case_attachments",
        U("id"), U("case_id"), S("step_key"), S("field_key"), S("file_name"), S("content_type"), L("size_bytes"), S("sha256"), S("storage_key"),
        U("uploaded_by"), T("uploaded_at"));

    public static readonly SeedTable Sequences = new("case_sequences", S("region_code"), I("year"), I("last_value"));

    /// <summary>Parents before children.</summary>
    public static IReadOnlyList<SeedTable> All { get; } =
        [Companies, CompanyNace, CompanyS3, CompanyContacts, Cases, Participants, Steps, Tracks, Events, Reminders, CheckIns, Notes, Attachments, Sequences];
}

/// <summary>Rows of every table, gathered for one batch (a slice of companies or cases) before it is written.</summary>
internal sealed class SeedBatch
{
    private readonly Dictionary<SeedTable, List<object?[]>> rows = [];

    public void Add(SeedTable table, params object?[] values)
    {
        if (values.Length != table.Columns.Count)
        {
            throw new ArgumentException($"{table.Name} takes {table.Columns.Count} values, not {values.Length}.", nameof(values));
        }

        if (!rows.TryGetValue(table, out var list))
        {
            rows[table] = list = [];
        }

        list.Add(values);
    }

    /// <summary>The rows of <paramref name="parts"/>, table by table in the order of the parts.</summary>
    public static SeedBatch Concat(IReadOnlyList<SeedBatch> parts)
    {
        var batch = new SeedBatch();
        foreach (var table in SeedTables.All)
        {
            var size = parts.Sum(p => p.Of(table).Count);
            if (size == 0)
            {
                continue;
            }

            var list = new List<object?[]>(size);
            foreach (var part in parts)
            {
                list.AddRange(part.Of(table));
            }

            batch.rows[table] = list;
        }

        return batch;
    }

    public IReadOnlyList<object?[]> Of(SeedTable table) => rows.TryGetValue(table, out var list) ? list : [];

    public int Count => rows.Values.Sum(r => r.Count);
}
