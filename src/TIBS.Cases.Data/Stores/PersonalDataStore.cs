using System.Data.Common;
using Dapper;
using TIBS.Cases.Core.PersonalData;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// The personal-data vault and the erasure that overwrites every other place (decision 0043). The tables and text
/// columns are read from the database catalogue at run time, so a column added later is searched and erased too.
/// </summary>
internal sealed class PersonalDataStore(IDbConnectionFactory db) : IPersonalDataStore
{
    /// <summary>Tables an erasure does not overwrite: the audit trail and its anchors (reported instead), the vault (erased by its own rule), the schema journal and keys.</summary>
    private static readonly HashSet<string> NotOverwritten = new(StringComparer.OrdinalIgnoreCase)
    {
        "case_events", "audit_checkpoints", "personal_data", Schema.SchemaMigrator.JournalTable, "data_protection_keys",
    };

    private const string Columns =
        "ref, subject_kind, subject_id, field, case_id, source, value, salt, commitment, created_at, erased_at, erasure_reason";

    internal const string InsertSql =
        """
        INSERT INTO personal_data (ref, subject_kind, subject_id, field, case_id, source, value, salt, commitment, created_at, erased_at, erasure_reason)
        VALUES (@Ref, @SubjectKind, @SubjectId, @Field, @CaseId, @Source, @Value, @Salt, @Commitment, @CreatedAt, @ErasedAt, @ErasureReason)
        """;

    public async Task<IReadOnlyDictionary<Guid, PersonalValue>> ResolveAsync(IReadOnlyCollection<Guid> refs, CancellationToken cancellationToken = default)
    {
        if (refs.Count == 0)
        {
            return new Dictionary<Guid, PersonalValue>();
        }

        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<PersonalDataRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM personal_data WHERE {db.Dialect.InList("ref", "@refs")}", new { refs = db.Dialect.IdList(refs) }, cancellationToken: cancellationToken));
        var found = new Dictionary<Guid, PersonalValue>();
        foreach (var row in rows)
        {
            // A value about two people is erased with either: any erased row erases the value.
            found[row.Ref] = found.TryGetValue(row.Ref, out var seen) && seen.Value is null ? seen
                : row.ErasedAt is not null || row.Value is null ? new PersonalValue(null, row.ErasedAt) : new PersonalValue(row.Value, null);
        }

        return found;
    }

    public async Task<IReadOnlyList<PersonalDataRecord>> OfSubjectAsync(string subjectKind, Guid subjectId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<PersonalDataRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM personal_data WHERE subject_kind = @subjectKind AND subject_id = @subjectId ORDER BY created_at, ref",
            new { subjectKind, subjectId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<ContactOfCompany>> ContactsOfAsync(IReadOnlyCollection<Guid> companyIds, CancellationToken cancellationToken = default)
    {
        if (companyIds.Count == 0)
        {
            return [];
        }

        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<ContactOfCompany>(new CommandDefinition(
            $"""
            SELECT k.id, k.company_id, c.name AS company_name, k.name FROM company_contacts k JOIN companies c ON c.id = k.company_id
            WHERE {db.Dialect.InList("k.company_id", "@ids")} ORDER BY c.name, k.name, k.id
            """,
            new { ids = db.Dialect.IdList(companyIds) }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<ContactOfCompany>> SearchContactsAsync(string text, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var pattern = "%" + text.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        return [.. await c.QueryAsync<ContactOfCompany>(new CommandDefinition(
            db.Dialect.Limit(
                $"""
                SELECT k.id, k.company_id, c.name AS company_name, k.name FROM company_contacts k JOIN companies c ON c.id = k.company_id
                WHERE k.name {db.Dialect.ILike} @pattern ESCAPE '\' OR k.email {db.Dialect.ILike} @pattern ESCAPE '\' ORDER BY k.name, c.name, k.id
                """, "@limit"),
            new { pattern, limit = 50 }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<DateTimeOffset>> ErasedContactsAsync(Guid companyId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<PersonalDataRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM personal_data WHERE field = @field AND source = @source ORDER BY erased_at",
            new { field = PersonalDataFields.ContactPerson, source = CompanySource(companyId) }, cancellationToken: cancellationToken));
        return [.. rows.Where(r => r.ErasedAt is not null).Select(r => r.ErasedAt!.Value)];
    }

    internal static string CompanySource(Guid companyId) => $"company:{companyId:D}";

    public async Task<IReadOnlyList<FoundRow>> FindRowsAsync(IReadOnlyCollection<string> values, CancellationToken cancellationToken = default)
    {
        var wanted = Usable(values);
        var found = new List<FoundRow>();
        if (wanted.Count == 0)
        {
            return found;
        }

        await using var c = await db.OpenAsync(cancellationToken);
        foreach (var table in await TextColumnsAsync(c, null, cancellationToken))
        {
            var (condition, parameters) = Contains(table.Columns, wanted);
            var select = string.Join(", ", table.Columns.Select(db.Dialect.Quote));
            var rows = await c.QueryAsync(new CommandDefinition(
                $"SELECT {select} FROM {db.Dialect.Quote(table.Name)} WHERE {condition}", parameters, cancellationToken: cancellationToken));
            foreach (IDictionary<string, object?> row in rows)
            {
                found.Add(new FoundRow(table.Name, row.ToDictionary(p => p.Key, p => p.Value?.ToString(), StringComparer.OrdinalIgnoreCase)));
            }
        }

        return found;
    }

    public async Task<IReadOnlyList<FoundRow>> ActedEventsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<ActedEvent>(new CommandDefinition(
            """
            SELECT c.reference AS CaseReference, e.seq AS Seq, e.id AS Id, e.occurred_at AS OccurredAt, e.kind AS Kind, e.step_key AS StepKey, e.data AS Data
            FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.actor_user_id = @userId ORDER BY e.occurred_at, e.case_id, e.seq
            """, new { userId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new FoundRow("case_events", new Dictionary<string, string?>
        {
            ["case"] = r.CaseReference, ["seq"] = r.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), ["id"] = r.Id.ToString(),
            ["occurred_at"] = r.OccurredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture), ["kind"] = r.Kind, ["step_key"] = r.StepKey, ["data"] = r.Data,
        }))];
    }

    private sealed class ActedEvent
    {
        public string CaseReference { get; init; } = "";
        public int Seq { get; init; }
        public Guid Id { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public string Kind { get; init; } = "";
        public string? StepKey { get; init; }
        public string Data { get; init; } = "";
    }

    public async Task<ErasureOutcome> EraseAsync(PersonalDataErasure erasure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(erasure);
        var k = cancellationToken;
        await using var c = await db.OpenAsync(k);
        await using var tx = await c.BeginWriteAsync(k);
        var subject = new { kind = erasure.SubjectKind, id = erasure.SubjectId };
        var refs = (await c.QueryAsync<Guid>(new CommandDefinition(
            "SELECT DISTINCT ref FROM personal_data WHERE subject_kind = @kind AND subject_id = @id", subject, tx, cancellationToken: k))).ToList();
        var held = refs.Count == 0 ? [] : (await c.QueryAsync<PersonalDataRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM personal_data WHERE {db.Dialect.InList("ref", "@refs")} AND erased_at IS NULL",
            new { refs = db.Dialect.IdList(refs) }, tx, cancellationToken: k))).ToList();
        var vaultValues = held.Select(r => r.Ref).Distinct().Count();
        if (refs.Count > 0)
        {
            await c.ExecuteAsync(new CommandDefinition(
                $"UPDATE personal_data SET value = NULL, salt = NULL, erased_at = @At, erasure_reason = @Reason WHERE {db.Dialect.InList("ref", "@refs")} AND erased_at IS NULL",
                new { erasure.At, erasure.Reason, refs = db.Dialect.IdList(refs) }, tx, cancellationToken: k));
        }

        var notes = held.Where(r => r.Field == PersonalDataFields.NoteText && r.Source.StartsWith("case_notes:", StringComparison.Ordinal))
            .Select(r => Guid.TryParse(r.Source["case_notes:".Length..], out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
        var notesErased = 0;
        foreach (var note in notes)
        {
            notesErased += await c.ExecuteAsync(new CommandDefinition(
                "UPDATE case_notes SET body = '', erased_at = @At WHERE id = @note", new { erasure.At, note }, tx, cancellationToken: k));
        }

        var other = 0;
        if (erasure.SubjectKind == PersonalSubjectKinds.Contact)
        {
            other += await c.ExecuteAsync(new CommandDefinition("DELETE FROM company_contacts WHERE id = @id", subject, tx, cancellationToken: k));
            if (erasure.CompanyId is { } company)
            {
                await c.ExecuteAsync(new CommandDefinition(InsertSql, new PersonalDataRecord
                {
                    Ref = Guid.CreateVersion7(erasure.At),
                    SubjectKind = erasure.SubjectKind,
                    SubjectId = erasure.SubjectId,
                    Field = PersonalDataFields.ContactPerson,
                    Source = CompanySource(company),
                    Commitment = "",
                    CreatedAt = erasure.At,
                    ErasedAt = erasure.At,
                    ErasureReason = erasure.Reason,
                }, tx, cancellationToken: k));
            }
        }

        var values = Usable([.. erasure.Values, .. held.Select(r => r.Value ?? "")]);
        var erased = "Erased on " + erasure.At.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var remaining = new List<(Guid CaseId, int Events)>();
        if (values.Count > 0 && erasure.CompanyId is { } ofCompany)
        {
            // Only the records of the person's company and of its cases are overwritten: the same name or address in
            // another company's records may be someone else's, and must not be changed by this erasure.
            var ofCases = db.Dialect.IdList(await c.QueryAsync<Guid>(new CommandDefinition(
                "SELECT id FROM cases WHERE lead_company_id = @company UNION SELECT case_id FROM case_participants WHERE company_id = @company",
                new { company = ofCompany }, tx, cancellationToken: k)));
            var columnsOf = await ColumnNamesAsync(c, tx, k);
            foreach (var table in await TextColumnsAsync(c, tx, k))
            {
                if (NotOverwritten.Contains(table.Name) || Scope(table.Name, columnsOf.GetValueOrDefault(table.Name) ?? new HashSet<string>(), ofCases.Count > 0) is not { } scope)
                {
                    continue;
                }

                foreach (var (column, length) in table.Columns.Zip(table.Lengths))
                {
                    var (condition, parameters) = Contains([column], values);
                    condition = $"{condition} AND {scope}";
                    parameters.Add("scopeCompany", ofCompany);
                    parameters.Add("scopeCases", ofCases);
                    var replaced = db.Dialect.Quote(column);
                    for (var i = 0; i < values.Count; i++)
                    {
                        replaced = $"REPLACE({replaced}, @v{i}, @erased)";
                    }

                    if (length is > 0 and var max)
                    {
                        // The replacement may be longer than the value: cut to the column's length rather than fail the erasure.
                        replaced = db.Dialect.Provider == DatabaseProvider.SqlServer ? $"SUBSTRING({replaced}, 1, {max})" : $"substr({replaced}, 1, {max})";
                    }

                    parameters.Add("erased", erased);
                    other += await c.ExecuteAsync(new CommandDefinition(
                        $"UPDATE {db.Dialect.Quote(table.Name)} SET {db.Dialect.Quote(column)} = {replaced} WHERE {condition}", parameters, tx, cancellationToken: k));
                }
            }

            if (ofCases.Count > 0)
            {
                var (inEvents, eventParameters) = Contains(["data"], values);
                eventParameters.Add("scopeCases", ofCases);
                remaining.AddRange((await c.QueryAsync<(Guid, long)>(new CommandDefinition(
                    $"SELECT case_id, COUNT(*) FROM case_events WHERE {inEvents} AND {db.Dialect.InList("case_id", "@scopeCases")} GROUP BY case_id", eventParameters, tx, cancellationToken: k)))
                    .Select(r => (r.Item1, (int)r.Item2)));
            }
        }

        var cases = held.Where(r => r.CaseId is not null).Select(r => r.CaseId!.Value).Concat(remaining.Select(r => r.CaseId)).Distinct().ToList();
        var references = new List<string>();
        var plaintext = new List<PlaintextPlace>();
        foreach (var caseId in cases)
        {
            var reference = await c.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT reference FROM cases WHERE id = @caseId", new { caseId }, tx, cancellationToken: k));
            if (reference is null)
            {
                continue;
            }

            await c.ExecuteAsync(new CommandDefinition("UPDATE cases SET audit_count = audit_count WHERE id = @caseId", new { caseId }, tx, cancellationToken: k));
            var events = remaining.FirstOrDefault(r => r.CaseId == caseId).Events;
            var record = erasure.CaseRecord(caseId, events);
            var evt = Core.Cases.AuditChain.Append(caseId, 0, Core.Cases.AuditChain.GenesisHash, record.OccurredAt, null, record.Kind, record.StepKey, record.Data);
            await CaseStore.AppendEventsAsync(c, tx, caseId, [evt], k);
            references.Add(reference);
            if (events > 0)
            {
                plaintext.Add(new PlaintextPlace(reference, events));
            }
        }

        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO administration_log (id, occurred_at, actor_id, action, subject_user_id, details) VALUES (@Id, @OccurredAt, @ActorId, @Action, @SubjectUserId, @Details)",
            erasure.LogEntry, tx, cancellationToken: k));
        await tx.CommitAsync(k);
        return new ErasureOutcome(vaultValues, notesErased, other, references, plaintext);
    }

    /// <summary>Values worth searching for: trimmed, at least three characters (shorter ones would match unrelated text), longest first.</summary>
    private static List<string> Usable(IEnumerable<string> values) =>
        [.. values.Select(v => v.Trim()).Where(v => v.Length >= 3).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length)];

    private (string Condition, DynamicParameters Parameters) Contains(IReadOnlyList<string> columns, IReadOnlyList<string> values)
    {
        var parameters = new DynamicParameters();
        for (var i = 0; i < values.Count; i++)
        {
            parameters.Add($"v{i}", values[i]);
        }

        var tests = columns.SelectMany(column => values.Select((_, i) => db.Dialect.Provider switch
        {
            DatabaseProvider.Sqlite => $"instr({db.Dialect.Quote(column)}, @v{i}) > 0",
            DatabaseProvider.Postgres => $"strpos({db.Dialect.Quote(column)}, @v{i}) > 0",
            _ => $"CHARINDEX(@v{i}, {db.Dialect.Quote(column)}) > 0",
        }));
        return ("(" + string.Join(" OR ", tests) + ")", parameters);
    }

    /// <summary>
    /// Which rows of a table belong to the erased person's company and its cases: the company itself, rows with its
    /// company_id, the cases and rows with one of their case_id. Null: the table holds no such rows and is left alone.
    /// </summary>
    private string? Scope(string table, IReadOnlySet<string> columns, bool anyCase) => table.ToLowerInvariant() switch
    {
        "companies" => "id = @scopeCompany",
        "cases" => anyCase ? db.Dialect.InList("id", "@scopeCases") : null,
        _ when columns.Contains("case_id") => anyCase ? db.Dialect.InList("case_id", "@scopeCases") : null,
        _ when columns.Contains("company_id") => "company_id = @scopeCompany",
        _ => null,
    };

    /// <summary>Every table's column names, of any type, from the database catalogue.</summary>
    private async Task<Dictionary<string, IReadOnlySet<string>>> ColumnNamesAsync(DbConnection c, DbTransaction? tx, CancellationToken k)
    {
        var sql = db.Dialect.Provider switch
        {
            DatabaseProvider.Sqlite =>
                "SELECT m.name AS TableName, p.name AS ColumnName FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
            DatabaseProvider.Postgres =>
                "SELECT table_name AS TableName, column_name AS ColumnName FROM information_schema.columns WHERE table_schema = current_schema()",
            _ => "SELECT TABLE_NAME AS TableName, COLUMN_NAME AS ColumnName FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = SCHEMA_NAME()",
        };
        var rows = await c.QueryAsync<(string TableName, string ColumnName)>(new CommandDefinition(sql, transaction: tx, cancellationToken: k));
        return rows.GroupBy(r => r.TableName, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(r => r.ColumnName).ToHashSet(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    }

    /// <param name="Lengths">Each column's maximum length in characters, or null when unbounded.</param>
    private sealed record TextTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<int?> Lengths);

    /// <summary>Every table of the application's schema and its text columns, from the database catalogue.</summary>
    private async Task<IReadOnlyList<TextTable>> TextColumnsAsync(DbConnection c, DbTransaction? tx, CancellationToken k)
    {
        var sql = db.Dialect.Provider switch
        {
            DatabaseProvider.Sqlite =>
                """
                SELECT m.name AS TableName, p.name AS ColumnName, NULL AS MaxLength FROM sqlite_master m JOIN pragma_table_info(m.name) p
                WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND (upper(p.type) LIKE '%TEXT%' OR upper(p.type) LIKE '%CHAR%' OR p.type = '')
                """,
            DatabaseProvider.Postgres =>
                """
                SELECT c.table_name AS TableName, c.column_name AS ColumnName, c.character_maximum_length AS MaxLength FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
                WHERE c.table_schema = current_schema() AND c.data_type IN ('text', 'character varying', 'character')
                """,
            _ =>
                """
                SELECT c.TABLE_NAME AS TableName, c.COLUMN_NAME AS ColumnName, c.CHARACTER_MAXIMUM_LENGTH AS MaxLength FROM INFORMATION_SCHEMA.COLUMNS c
                JOIN INFORMATION_SCHEMA.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME AND t.TABLE_TYPE = 'BASE TABLE'
                WHERE c.TABLE_SCHEMA = SCHEMA_NAME() AND c.DATA_TYPE IN ('nvarchar', 'varchar', 'nchar', 'char')
                """,
        };
        var rows = await c.QueryAsync<(string TableName, string ColumnName, long? MaxLength)>(new CommandDefinition(sql, transaction: tx, cancellationToken: k));
        return [.. rows.Where(r => !r.TableName.Equals(Schema.SchemaMigrator.JournalTable, StringComparison.OrdinalIgnoreCase))
            .GroupBy(r => r.TableName, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TextTable(g.Key, [.. g.Select(r => r.ColumnName)], [.. g.Select(r => r.MaxLength is > 0 and < int.MaxValue ? (int?)r.MaxLength : null)]))];
    }
}
