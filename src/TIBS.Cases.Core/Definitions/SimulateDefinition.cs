using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Simulation;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// "Try it": simulates a version of a definition (the draft or any published version) with random walks or one scripted
/// walk, without touching any case; the report says which steps were visited, which outcomes were never possible and why,
/// which walks got stuck and which timers fired when. Readers of definitions (see <see cref="DefinitionAccess"/>) may.
/// </summary>
public sealed class SimulateDefinition(IWorkflowStore store, WorkflowCatalog catalog, IReferenceDataStore reference)
{
    /// <summary>The most walks one request may ask for (the command line allows more).</summary>
    public const int MaxWalks = 5000;

    /// <summary>The largest scripted walk accepted, in characters.</summary>
    public const int MaxScriptLength = 64 * 1024;

    public const int DefaultWalks = 1000;

    /// <param name="Key">The definition.</param>
    /// <param name="Number">The version (a published one or the draft's number).</param>
    /// <param name="Walks">How many random walks (1 to <see cref="MaxWalks"/>); ignored with a script.</param>
    /// <param name="Seed">The same seed gives the same walks.</param>
    /// <param name="Script">A scripted walk in YAML or JSON (optional).</param>
    public sealed record Request(string Key, int Number, int Walks = DefaultWalks, int Seed = 1, string? Script = null);

    public sealed record Result(CaseCommandStatus Status)
    {
        public string? Message { get; init; }

        public WorkflowVersionRecord? Version { get; init; }

        /// <summary>What is wrong with the request (field <c>walks</c> or <c>script</c>).</summary>
        public IReadOnlyList<FieldError> Errors { get; init; } = [];

        /// <summary>The version's own problems when it (a draft) does not compile: nothing can be simulated.</summary>
        public IReadOnlyList<ValidationError> Problems { get; init; } = [];

        public SimulationReport? Report { get; init; }
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: false, cancellationToken);
        if (definition is null)
        {
            return new Result(refused!.Status) { Message = refused.Message };
        }

        if (request.Number < 1 || await store.GetVersionAsync(definition.DefinitionKey, request.Number, cancellationToken) is not { } version)
        {
            return new Result(CaseCommandStatus.NotFound) { Message = Localized.Text("There is no such version of the definition.") };
        }

        var errors = new List<FieldError>();
        ScriptedWalk? script = null;
        if (!string.IsNullOrWhiteSpace(request.Script))
        {
            if (request.Script.Length > MaxScriptLength)
            {
                errors.Add(new FieldError("script", Localized.Format("The scripted walk is {0:N0} characters long; at most {1:N0} are allowed.", request.Script.Length, MaxScriptLength)));
            }
            else
            {
                (script, var problems) = ScriptedWalk.Parse(request.Script);
                errors.AddRange(problems.Select(p => new FieldError("script", p)));
            }
        }
        else if (request.Walks is < 1 or > MaxWalks)
        {
            errors.Add(new FieldError("walks", Localized.Format("The number of walks must be from 1 to {0:N0}; {1:N0} was given.", MaxWalks, request.Walks)));
        }

        if (errors.Count > 0)
        {
            return new Result(CaseCommandStatus.InvalidForm) { Version = version, Errors = errors, Message = Localized.Format("Nothing was simulated: {0}", string.Join(" ", errors)) };
        }

        WorkflowPlan plan;
        if (version.IsPublished)
        {
            plan = await catalog.GetPlanAsync(version.Id, cancellationToken);
        }
        else
        {
            var check = WorkflowDefinitions.Check(version.Content, cancellationToken: cancellationToken);
            if (!check.IsValid)
            {
                return new Result(CaseCommandStatus.InvalidForm)
                {
                    Version = version,
                    Problems = check.Errors,
                    Message = Localized.Text("The draft has problems; fix them before trying it."),
                };
            }

            plan = WorkflowPlan.Compile(check.Document!);
        }

        var options = new SimulationOptions { Walks = request.Walks, Seed = request.Seed, Script = script, TaxonomyCodes = await TaxonomyCodesAsync(cancellationToken) };
        return new Result(CaseCommandStatus.Done) { Version = version, Report = await WorkflowSimulator.RunAsync(plan, options, cancellationToken) };
    }

    /// <summary>The real codes, so generated taxonomy values are ones a person could pick.</summary>
    internal async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> TaxonomyCodesAsync(CancellationToken cancellationToken)
    {
        var regions = await reference.RegionsAsync(cancellationToken);
        var codes = new Dictionary<string, IReadOnlyList<string>>(SimulationTaxonomies.Sample, StringComparer.Ordinal);
        void Use(string taxonomy, IEnumerable<string> known)
        {
            var list = known.Distinct(StringComparer.Ordinal).ToList();
            if (list.Count > 0)
            {
                codes[taxonomy] = list;
            }
        }

        Use("region", regions.Select(r => r.Code));
        Use("country", regions.Select(r => r.CountryCode));
        Use("nace", (await reference.NaceSectionsAsync(cancellationToken)).Select(n => n.Code));
        Use("s3-area", (await reference.S3AreasAsync(cancellationToken)).Select(s => s.Code));
        return codes;
    }
}
