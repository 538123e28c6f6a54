// Longer than 400 lines because it runs every store query of the product against SQL Server in one suite, so that a query one provider accepts and another refuses is caught in one place.
using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Coordination;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// No SQL Server runs on the build machine, so every store is run here against a recording connection with the SQL
/// Server dialect, and every statement it would send is parsed as T-SQL. A PostgreSQL- or SQLite-only construct in a
/// query (LIMIT, ILIKE, = ANY, RETURNING, TRUE) fails this test before it fails in production.
/// </summary>
public sealed class SqlServerQueryTests
{
    [Fact]
    public async Task Every_query_the_stores_send_parses_as_T_SQL()
    {
        var db = new RecordingFactory();
        var now = DateTimeOffset.UtcNow;
        var id = Guid.NewGuid();
        var user = new UserAccount { Id = id, Email = "a@b.example", DisplayName = "A", Role = Roles.Broker, RegionCode = "LV008", PasswordHash = "h", SecurityStamp = "s", CreatedAt = now, UpdatedAt = now };
        var company = new Company
        {
            Id = id,
            Name = "N",
            CountryCode = "LV",
            RegionCode = "LV008",
            SizeClass = SizeClasses.Small,
            NaceCodes = ["C"],
            S3Areas = ["bioeconomy"],
            Contacts = [new CompanyContact { Id = id, Name = "C", ConsentDate = new DateOnly(2026, 1, 1) }],
            CreatedAt = now,
            UpdatedAt = now,
        };
        var @case = new CaseRecord
        {
            Id = id,
            Reference = "LV008-2026-0001",
            Title = "T",
            DefinitionVersionId = id,
            LeadCompanyId = id,
            RegionCode = "LV008",
            OwnerUserId = id,
            Status = CaseStatus.Active,
            CurrentStep = "intake",
            AuditHeadHash = AuditChain.GenesisHash,
            Version = 2,
        };
        var step = new CaseStepRecord { Id = id, CaseId = id, StepKey = "intake" };
        var participant = new CaseParticipantRecord { Id = id, CaseId = id, CompanyId = id, RegionCode = "DE60", Role = ParticipantRole.Partner, PipelineStatus = PipelineStatus.Shortlisted };
        var write = new CaseWrite
        {
            Case = @case,
            ExpectedVersion = 1,
            CompletedSteps = [step],
            StartedSteps = [step],
            NewParticipants = [participant],
            UpdatedParticipants = [participant],
            Events = [AuditChain.Append(id, 1, AuditChain.GenesisHash, now, id, "case-opened", "intake", "{}")],
            NewReminders = [new ReminderRecord { Id = id, CaseId = id, CaseStepId = id, StepKey = "intake", NoticeKey = "due", Kind = "due", RecipientRole = "broker", DueAt = now, Status = ReminderStatus.Pending }],
            CancelReminders = [id],
            UpdateReminders = [(id, ReminderStatus.Paused, now)],
            NewCheckIns = [new CaseCheckInRecord { Id = id, CaseId = id, CaseStepId = id, CheckInKey = "q", Occurrence = 1, DueAt = now, RecordedAt = now, FormData = "{}" }],
            NewNotes = [new CaseNoteRecord { Id = id, CaseId = id, AuthorUserId = id, Body = "b", CreatedAt = now }],
            NewAttachments = [new CaseAttachmentRecord { Id = id, CaseId = id, FileName = "f.pdf", ContentType = "application/pdf", SizeBytes = 1, Sha256 = new string('a', 64), StorageKey = "k", UploadedAt = now }],
            NewMessages = [new CaseMessageRecord { Id = id, CaseId = id, AuthorUserId = id, Body = "m", CreatedAt = now }],
        };
        var actor = new Actor(id, WorkflowRole.Broker, "LV008");

        var users = new UserStore(db);
        await users.FindByEmailAsync("a@b.example");
        await users.FindByIdAsync(id);
        await users.CountAsync();
        await users.GetManyAsync([id, Guid.NewGuid()]);
        await users.ListInRoleAsync(Roles.Broker, ["LV008", "DE60"]);
        await users.ListInRoleAsync(Roles.Coordinator, activeOnly: false);
        await users.InsertAsync(user);
        await users.GetEmailDigestAsync(id);
        await users.SetEmailDigestAsync(id, true, now);
        await users.ListDigestUsersAsync();

        var throttle = new SignInThrottleStore(db);
        await throttle.GetAsync(["account:a@b.example", "address:10.0.0.1"]);
        await throttle.RecordFailureAsync("account:a@b.example", now, now);
        await throttle.ResetAsync("account:a@b.example");

        var sessions = new UserSessionStore(db);
        await sessions.InsertAsync(new UserSession { Id = id, UserId = id, CreatedAt = now, LastSeenAt = now });
        await sessions.FindAsync(id);
        await sessions.TouchAsync(id, now);
        await sessions.RevokeAsync(id, now);
        await sessions.RevokeAllAsync(id, now);

        var companies = new CompanyStore(db);
        await companies.InsertAsync(company);
        await companies.GetAsync(id);
        await companies.CountAsync();
        await companies.UpdateAsync(company, 1);
        await companies.SearchAsync(new CompanySearch { Text = "50% wood_[x]", CountryCode = "LV", RegionCode = "LV008", S3Area = "bioeconomy", NaceSection = "C", SizeClass = "small", After = new CompanyCursor("N", id) });
        foreach (var order in NameOrder.All)
        {
            await companies.SearchAsync(new CompanySearch { Order = order, After = new CompanyCursor("N", id, order) });
        }

        var reference = new ReferenceDataStore(db);
        await reference.RegionsAsync();
        await reference.NaceSectionsAsync();
        await reference.S3AreasAsync();

        var workflows = new WorkflowStore(db);
        await workflows.ListDefinitionsAsync();
        await workflows.GetDefinitionAsync("k");
        await workflows.ListVersionsAsync("k");
        await workflows.GetVersionAsync(id);
        await workflows.GetVersionAsync("k", 1);
        await workflows.GetPublishedVersionAsync("k");
        var definitionRow = Row(("id", id), ("definition_key", "k"), ("name", "n"), ("created_at", now), ("row_version", 1));
        var draftRow = Row(("id", id), ("definition_id", id), ("definition_key", "k"), ("number", 2), ("status", "draft"), ("content", "c"),
            ("content_hash", "h"), ("source", "editor"), ("created_at", now), ("row_version", 1));
        db.NextTables.Enqueue(definitionRow);
        await workflows.InsertPublishedAsync("k", "n", 1, "c", "h", "file", id, now);
        db.NextTables.Enqueue(definitionRow);
        await workflows.SaveDraftAsync("k", "n", 2, "c", "h", id, null, now);
        db.NextTables.Enqueue(definitionRow);
        db.NextTables.Enqueue(draftRow);
        await workflows.SaveDraftAsync("k", "n", 2, "c", "h", id, 1, now);
        await workflows.PublishDraftAsync(id, 1, id, now);
        await workflows.DiscardDraftAsync(id, 1);

        var cases = new CaseStore(db);
        await cases.GetAsync(id);
        await cases.GetByReferenceAsync("r");
        await cases.GetStepsAsync(id);
        await cases.GetEventsAsync(id);
        await cases.GetRemindersAsync(id);
        await cases.GetParticipantsAsync(id);
        await cases.GetCheckInsAsync(id);
        await cases.GetNotesAsync(id);
        await cases.GetAttachmentsAsync(id);
        await cases.GetAttachmentAsync(id);
        await cases.GetMessagesAsync(id);
        await cases.GetCommandStateAsync(id);
        await cases.GetCommandStateWithTracksAsync(id);
        await cases.GetViewAsync(id, EventPage.Latest);
        await cases.GetViewAsync(id, new EventPage(20, 41));
        await cases.ListOpenCaseIdsAsync(id);
        await cases.NextReferenceNumberAsync("LV008", 2026);
        await cases.CommitAsync(write);

        // A write that knows the row as read sets only what changed: every column, and none but the version and time.
        await cases.CommitAsync(write with { Before = write.Case with { Title = "Before", Status = "on-hold", CurrentStage = "s", CurrentStep = "x", Data = "{}", ClosedAt = now, HoldStartedAt = now, StepDueAt = null, StepStartedAt = now.AddDays(-1), OwnerUserId = Guid.NewGuid(), DefinitionVersionId = Guid.NewGuid() } });
        await cases.CommitAsync(write with { Before = write.Case });
        await cases.CommitAsync(write with { ExpectedVersion = null });
        await cases.CommitAsync(write with { AppendOnly = true });
        await cases.AppendSystemRecordAsync(id, new TIBS.Cases.Core.Audit.SystemRecord("audit-anchored", null, "{}", now));

        var ledger = new TIBS.Cases.Data.Audit.AuditLedger(db);
        await ledger.ListHeadsAsync();
        await ledger.CountEventsAsync();
        await ledger.ListCasesWithoutEventAsync("audit-anchored");
        await ledger.ListCheckpointsAsync();
        await ledger.RecordCheckpointAsync(
            new TIBS.Cases.Core.Audit.AuditCheckpoint { Seq = 1, CreatedAt = now, PrevHash = AuditChain.GenesisHash, KeyId = "k", Root = AuditChain.GenesisHash, CaseCount = 0, Leaves = [] },
            () => { });

        var verifications = new TIBS.Cases.Data.Audit.TrailVerificationStore(db);
        await verifications.ClaimAsync("node", "the schedule", now, now.AddMinutes(10));
        await verifications.ListCasesAfterAsync(null, 10);
        await verifications.ListCasesAfterAsync(id, 10);
        await verifications.ListEventsAsync(id, 0, 10);
        await verifications.FindAbsentCasesAsync([id]);
        var progress = new TIBS.Cases.Core.Audit.TrailVerificationProgress(id, "node", id, 1, 1, 1);
        var finding = new TIBS.Cases.Core.Audit.TrailVerificationFailure(id, 1, id, "LV008-2026-0001", "edited", "Event 1 was edited.");
        await verifications.RecordBatchAsync(progress, [finding], now);
        await verifications.FinishAsync(progress, [finding], now, [new NotificationRecord { Id = id, UserId = id, Kind = "k", Title = "t", Body = "b", DeliveryKey = "v", CreatedAt = now }]);
        await verifications.GetLatestAsync();
        await verifications.ListFailuresAsync(id, 10);

        await new CaseQueries(db).SearchAsync(new CaseFilter { Text = "x", Stage = "s", Step = "t", Status = "active", Region = "LV008", OwnerUserId = id, OverdueOnly = true, After = (now, id) }, actor, now);
        await new CaseQueries(db).SearchAsync(new CaseFilter(), actor with { Role = WorkflowRole.Evaluator }, now);
        await new CaseQueries(db).SearchAsync(new CaseFilter { Text = "lodz", Status = CaseStatus.Active, After = (now, id) }, actor, now);

        var reminders = new ReminderStore(db);
        db.NextTables.Enqueue(Row(("id", id)));
        await reminders.ClaimDueAsync(now, 10, "w", TimeSpan.FromMinutes(10));
        await reminders.RenewClaimAsync([id], "w", now);
        await reminders.GetAsync(id);
        await reminders.MarkSentAsync(id, now);
        await reminders.SetStatusAsync(id, ReminderStatus.Cancelled, "n");
        await reminders.RecordFailureAsync(id, "e");

        var notifications = new NotificationStore(db);
        await notifications.AddAsync(new NotificationRecord { Id = id, UserId = id, Kind = "k", Title = "t", Body = "b", DeliveryKey = "d", CreatedAt = now });
        await notifications.ListForUserAsync(id, true, 10);
        await notifications.UnreadCountAsync(id);
        await notifications.MarkReadAsync(id, id, now);
        await notifications.MarkAllReadAsync(id, now);
        await notifications.GetAsync(id);
        await notifications.ClaimEmailAsync(id, now, now);
        await notifications.ConfirmEmailAsync(id, now);
        await notifications.ReleaseEmailAsync(id, now);
        await notifications.ListMailDueAsync(now, 10);
        await notifications.ListUnmailedForUserAsync(id, 10);

        await new MatchingQueries(db).CandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", ExcludeCompanyIds = [id], Country = "DE", S3Area = "bioeconomy", RegionKind = "advanced", NaceSection = "C", Text = "x" });
        var ranking = new CandidateRanking
        {
            S3Areas = ["bioeconomy"],
            NaceDivisions = ["C16"],
            NaceSections = ["C"],
            NeedTerms = ["wood"],
            OfferTerms = ["software"],
            TargetCountries = ["DE"],
            SizeClassesSought = [SizeClasses.Small],
            LeadRegionKind = "supported",
            Languages = ["en"],
        };
        await new MatchingQueries(db).BestCandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", ExcludeCompanyIds = [id], Country = "DE", Order = NameOrder.Of("lt")! }, ranking, 40, 10);
        await new MatchingQueries(db).CountCandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", ExcludeCompanyIds = [id] });
        await MatchTerms.FillMissingAsync(db);
        var work = new WorkQueries(db);
        await work.OpenStepsAsync(["LV008", "EE004"], id);
        await work.PartnerCasesAsync(["LV008", "EE004"]);
        await work.RecentActivityAsync(["LV008", "EE004"], id, 20);

        var coordination = new CoordinationQueries(db);
        await coordination.CountOpenCasesAsync(now);
        await coordination.AttentionAsync(now, [new AttentionStep("profile-validation", [Guid.CreateVersion7()])], 100);
        await coordination.FoldCountsAsync();

        var indicators = new TIBS.Cases.Data.Indicators.IndicatorQueries(db);
        var filter = new TIBS.Cases.Core.Indicators.IndicatorFilter("LV008", "LV", "bioeconomy", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));
        await indicators.CountAsync(TIBS.Cases.Core.Indicators.IndicatorFilter.All, null);
        foreach (var by in Enum.GetValues<TIBS.Cases.Core.Indicators.IndicatorDimension>())
        {
            await indicators.CountAsync(filter, by);
        }

        await indicators.CasesAsync(filter, "RCO87", TIBS.Cases.Core.Indicators.IndicatorDimension.Year, "2026", 100);
        await indicators.CountryPairsAsync(filter);
        // The first and last years (one row, as the server gives it), so that the counts per year are sent too.
        db.NextTables.Enqueue(Row(("a", "2025"), ("b", "2026"), ("c", "2026"), ("d", "2026"), ("e", "2026"), ("f", "2026")));
        await indicators.StrategiesAsync(filter);
        // Without an S3 area: the counts the writes keep.
        await indicators.StrategiesAsync(filter with { S3Area = null });
        await indicators.AgreementTypesAsync(filter);
        await indicators.StageDurationsAsync(filter);
        await indicators.StepTimesAsync("joint-smart-strategy", now);

        var feed = new EventFeedQueries(db);
        db.NextTables.Enqueue(Row(("case_id", id), ("seq", 1), ("id", id), ("occurred_at", now), ("kind", "note-added"), ("data", "{}"), ("prev_hash", AuditChain.GenesisHash),
            ("hash", AuditChain.GenesisHash), ("feed_commit", 2L), ("feed_position", 1L)));
        await feed.ReadAsync(null, 10);
        await feed.ReadAsync(new TIBS.Cases.Core.Events.EventFeedPosition(2, 1), 10);

        Assert.True(db.Statements.Count > 60, $"only {db.Statements.Count} statements were recorded");
        var failures = db.Statements.Distinct()
            .Select(sql => (sql, errors: SqlServerSchemaModel.Parse(sql)))
            .Where(x => x.errors.Count > 0)
            .Select(x => $"{string.Join("; ", x.errors.Select(e => $"({e.Line},{e.Column}) {e.Message}"))}{Environment.NewLine}{x.sql}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine + "----" + Environment.NewLine, failures));
    }

    private static DataTable Row(params (string Column, object Value)[] cells)
    {
        var table = new DataTable();
        foreach (var (column, value) in cells)
        {
            table.Columns.Add(column, value.GetType());
        }

        table.Rows.Add([.. cells.Select(c => c.Value)]);
        return table;
    }

    [Fact]
    public void The_check_catches_a_PostgreSQL_only_query()
    {
        Assert.NotEmpty(SqlServerSchemaModel.Parse("SELECT id FROM reminders ORDER BY due_at LIMIT @take FOR UPDATE SKIP LOCKED"));
        Assert.NotEmpty(SqlServerSchemaModel.Parse("UPDATE reminders SET status = 'claimed' WHERE id = ANY(@ids) RETURNING id"));
    }

    /// <summary>A SQL Server connection factory that records every command instead of sending it.</summary>
    private sealed class RecordingFactory : IDbConnectionFactory
    {
        public List<string> Statements { get; } = [];

        /// <summary>Results of the next queries, in order; after them every query returns no rows.</summary>
        public Queue<DataTable> NextTables { get; } = new();

        public DatabaseProvider Provider => DatabaseProvider.SqlServer;

        public ISqlDialect Dialect { get; } = new SqlServerDialect();

        public string ConnectionString => "Server=recording";

        public Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => Task.FromResult<DbConnection>(new RecordingConnection(this));
    }

    [SuppressMessage("Design", "CA1010", Justification = "Test double")]
    private sealed class RecordingConnection(RecordingFactory factory) : DbConnection
    {
        private ConnectionState state = ConnectionState.Open;

        [AllowNull]
        public override string ConnectionString { get; set; } = "";
        public override string Database => "recording";
        public override string DataSource => "recording";
        public override string ServerVersion => "16.0";
        public override ConnectionState State => state;

        public override void ChangeDatabase(string databaseName)
        {
        }

        public override void Close() => state = ConnectionState.Closed;

        public override void Open() => state = ConnectionState.Open;

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new RecordingTransaction(this);

        protected override DbCommand CreateDbCommand() => new RecordingCommand(factory) { Connection = this };
    }

    private sealed class RecordingTransaction(DbConnection connection) : DbTransaction
    {
        public override IsolationLevel IsolationLevel => IsolationLevel.ReadCommitted;
        protected override DbConnection DbConnection => connection;

        public override void Commit()
        {
        }

        public override void Rollback()
        {
        }
    }

    private sealed class RecordingCommand(RecordingFactory factory) : DbCommand
    {
        private readonly RecordingParameters parameters = new();

        [AllowNull]
        public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get; set; }
        public override CommandType CommandType { get; set; }
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get; set; }
        protected override DbParameterCollection DbParameterCollection => parameters;
        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override int ExecuteNonQuery()
        {
            factory.Statements.Add(CommandText);
            return 1;
        }

        public override object? ExecuteScalar()
        {
            factory.Statements.Add(CommandText);
            return 1;
        }

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => new RecordingParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            factory.Statements.Add(CommandText);
            return (factory.NextTables.Count > 0 ? factory.NextTables.Dequeue() : new DataTable()).CreateDataReader();
        }
    }

    private sealed class RecordingParameter : DbParameter
    {
        public override DbType DbType { get; set; }
        public override ParameterDirection Direction { get; set; }
        public override bool IsNullable { get; set; }
        [AllowNull]
        public override string ParameterName { get; set; } = "";
        public override int Size { get; set; }
        [AllowNull]
        public override string SourceColumn { get; set; } = "";
        public override bool SourceColumnNullMapping { get; set; }
        public override object? Value { get; set; }

        public override void ResetDbType()
        {
        }
    }

    private sealed class RecordingParameters : DbParameterCollection
    {
        private readonly List<DbParameter> items = [];

        public override int Count => items.Count;
        public override object SyncRoot => items;

        public override int Add(object value)
        {
            items.Add((DbParameter)value);
            return items.Count - 1;
        }

        public override void AddRange(Array values)
        {
            foreach (var v in values)
            {
                Add(v!);
            }
        }

        public override void Clear() => items.Clear();
        public override bool Contains(object value) => items.Contains((DbParameter)value);
        public override bool Contains(string value) => items.Any(p => p.ParameterName == value);
        public override void CopyTo(Array array, int index) => ((ICollection)items).CopyTo(array, index);
        public override IEnumerator GetEnumerator() => items.GetEnumerator();
        public override int IndexOf(object value) => items.IndexOf((DbParameter)value);
        public override int IndexOf(string parameterName) => items.FindIndex(p => p.ParameterName == parameterName);
        public override void Insert(int index, object value) => items.Insert(index, (DbParameter)value);
        public override void Remove(object value) => items.Remove((DbParameter)value);
        public override void RemoveAt(int index) => items.RemoveAt(index);
        public override void RemoveAt(string parameterName) => items.RemoveAt(IndexOf(parameterName));
        protected override DbParameter GetParameter(int index) => items[index];
        protected override DbParameter GetParameter(string parameterName) => items[IndexOf(parameterName)];
        protected override void SetParameter(int index, DbParameter value) => items[index] = value;
        protected override void SetParameter(string parameterName, DbParameter value) => items[IndexOf(parameterName)] = value;
    }
}
