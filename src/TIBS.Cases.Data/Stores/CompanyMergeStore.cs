using Dapper;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies.Merge;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// Merges of companies in one transaction (see <see cref="ICompanyMergeStore.MergeAsync"/>). Both company rows are
/// claimed first by their versions, so a concurrent edit or merge of either is a conflict and nothing is written. Case
/// rows that named the duplicate get a new version (a form opened before the merge reports a conflict instead of writing
/// the old company back) and the merge event at the head of their chain.
/// </summary>
internal sealed class CompanyMergeStore(IDbConnectionFactory db) : ICompanyMergeStore
{
    private const string MergeColumns =
        "merged_company_id, survivor_company_id, merged_name, merged_country_code, merged_register_number, merged_by, merged_at";

    public async Task<CompanyMergeCounts> MergeAsync(CompanyMergeWrite merge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(merge);
        var k = cancellationToken;
        var p = new
        {
            survivor = merge.Survivor.Id,
            duplicate = merge.Duplicate.Id,
            survivorVersion = merge.SurvivorVersion,
            duplicateVersion = merge.DuplicateVersion,
            survivorRegion = merge.Survivor.RegionCode,
            at = merge.MergedAt,
            oldText = merge.Duplicate.Id.ToString(),
            newText = merge.Survivor.Id.ToString(),
            oldPattern = "%" + merge.Duplicate.Id + "%",
        };
        await using var c = await db.OpenAsync(k);
        await using var tx = await c.BeginWriteAsync(k);
        async Task<int> Run(string sql) => await c.ExecuteAsync(new CommandDefinition(sql, p, tx, cancellationToken: k));

        // Claim both rows at the versions the coordinator saw (also locks them until the end of the transaction).
        if (await Run("UPDATE companies SET version = version + 1, updated_at = @at WHERE id = @duplicate AND version = @duplicateVersion") != 1
            || await Run("UPDATE companies SET version = version + 1, updated_at = @at WHERE id = @survivor AND version = @survivorVersion") != 1)
        {
            await tx.RollbackAsync(k);
            throw new ConcurrencyConflictException($"Company {merge.Survivor.Id} or {merge.Duplicate.Id} changed or was merged meanwhile.");
        }

        var caseIds = (await c.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT id FROM cases WHERE lead_company_id = @duplicate
            UNION SELECT case_id FROM case_participants WHERE company_id = @duplicate
            """, p, tx, cancellationToken: k))).Distinct().Order().ToList();

        // A case in which both take part keeps the survivor's entry; messages about the duplicate's entry move to it.
        await Run(
            """
            UPDATE case_messages SET participant_id = (
                SELECT s.id FROM case_participants s JOIN case_participants d ON d.case_id = s.case_id
                WHERE d.id = case_messages.participant_id AND s.company_id = @survivor)
            WHERE participant_id IN (
                SELECT d.id FROM case_participants d
                WHERE d.company_id = @duplicate AND EXISTS (SELECT 1 FROM case_participants s WHERE s.case_id = d.case_id AND s.company_id = @survivor))
            """);
        var dropped = await Run(
            """
            DELETE FROM case_participants
            WHERE company_id = @duplicate AND EXISTS (SELECT 1 FROM case_participants s WHERE s.case_id = case_participants.case_id AND s.company_id = @survivor)
            """);
        var participants = dropped + await Run("UPDATE case_participants SET company_id = @survivor, region_code = @survivorRegion WHERE company_id = @duplicate");
        await Run("UPDATE cases SET lead_company_id = @survivor WHERE lead_company_id = @duplicate");

        // Company references in case data, step forms, check-ins and drafts (ids are written in one textual form).
        foreach (var (table, column) in ((string, string)[])[("cases", "data"), ("case_steps", "form_data"), ("case_check_ins", "form_data"), ("case_drafts", "data")])
        {
            await Run($"UPDATE {table} SET {column} = REPLACE({column}, @oldText, @newText) WHERE {column} LIKE @oldPattern");
        }

        foreach (var caseId in caseIds)
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE cases SET version = version + 1, updated_at = @at WHERE id = @caseId", new { caseId, at = merge.MergedAt }, tx, cancellationToken: k));
            var evt = AuditChain.Append(caseId, 0, AuditChain.GenesisHash, merge.MergedAt, merge.MergedBy, merge.EventKind, null, merge.EventData);
            await CaseStore.AppendEventsAsync(c, tx, caseId, [evt], k);
        }

        var contacts = await Run("UPDATE company_contacts SET company_id = @survivor WHERE company_id = @duplicate");
        await Run(
            """
            INSERT INTO company_nace_codes (company_id, nace_code)
            SELECT @survivor, d.nace_code FROM company_nace_codes d
            WHERE d.company_id = @duplicate AND NOT EXISTS (SELECT 1 FROM company_nace_codes s WHERE s.company_id = @survivor AND s.nace_code = d.nace_code)
            """);
        await Run(
            """
            INSERT INTO company_s3_areas (company_id, s3_code)
            SELECT @survivor, d.s3_code FROM company_s3_areas d
            WHERE d.company_id = @duplicate AND NOT EXISTS (SELECT 1 FROM company_s3_areas s WHERE s.company_id = @survivor AND s.s3_code = d.s3_code)
            """);
        var aid = await Run("UPDATE company_de_minimis SET company_id = @survivor WHERE company_id = @duplicate");

        // The mapping: earlier merges into the duplicate now resolve to the survivor too.
        await Run("UPDATE company_merges SET survivor_company_id = @survivor WHERE survivor_company_id = @duplicate");
        await c.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO company_merges ({MergeColumns}) VALUES (@MergedCompanyId, @SurvivorCompanyId, @MergedName, @MergedCountryCode, @MergedRegisterNumber, @MergedBy, @MergedAt)",
            new CompanyMergeRecord
            {
                MergedCompanyId = merge.Duplicate.Id,
                SurvivorCompanyId = merge.Survivor.Id,
                MergedName = merge.Duplicate.Name,
                MergedCountryCode = merge.Duplicate.CountryCode,
                MergedRegisterNumber = merge.Duplicate.RegisterNumber,
                MergedBy = merge.MergedBy,
                MergedAt = merge.MergedAt,
            }, tx, cancellationToken: k));

        await Run("DELETE FROM company_nace_codes WHERE company_id = @duplicate");
        await Run("DELETE FROM company_s3_areas WHERE company_id = @duplicate");
        await Run("DELETE FROM company_match_terms WHERE company_id = @duplicate");
        await Run("DELETE FROM companies WHERE id = @duplicate");
        if (merge.SurvivorRegisterNumber != merge.Survivor.RegisterNumber)
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE companies SET register_number = @number WHERE id = @survivor",
                new { number = merge.SurvivorRegisterNumber, survivor = merge.Survivor.Id }, tx, cancellationToken: k));
        }

        await tx.CommitAsync(k);
        return new CompanyMergeCounts(caseIds.Count, participants, contacts, aid);
    }

    public async Task<CompanyMergeRecord?> FindAsync(Guid mergedCompanyId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<CompanyMergeRecord>(new CommandDefinition(
            $"SELECT {MergeColumns} FROM company_merges WHERE merged_company_id = @mergedCompanyId", new { mergedCompanyId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyDictionary<Guid, Guid>> SurvivorsAsync(IReadOnlyCollection<Guid> companyIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(companyIds);
        var map = new Dictionary<Guid, Guid>();
        if (companyIds.Count == 0)
        {
            return map;
        }

        await using var c = await db.OpenAsync(cancellationToken);
        foreach (var id in companyIds.Distinct())
        {
            var survivor = await c.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                "SELECT survivor_company_id FROM company_merges WHERE merged_company_id = @id", new { id }, cancellationToken: cancellationToken));
            if (survivor is { } s)
            {
                map[id] = s;
            }
        }

        return map;
    }

    public async Task<IReadOnlyList<CompanyMergeRecord>> MergedIntoAsync(Guid survivorId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CompanyMergeRecord>(new CommandDefinition(
            $"SELECT {MergeColumns} FROM company_merges WHERE survivor_company_id = @survivorId ORDER BY merged_at DESC, merged_company_id",
            new { survivorId }, cancellationToken: cancellationToken))];
    }
}
