using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Workflows.Simulation;

namespace TIBS.Cases.Web.Api;

/// <summary>What to simulate.</summary>
/// <param name="Version">The version to try: a published one or the draft's number.</param>
/// <param name="Walks">How many random walks (1 to 5,000; default 1,000); ignored with a script.</param>
/// <param name="Seed">The same seed gives the same walks (default 1).</param>
/// <param name="Script">A scripted walk in YAML or JSON: a list of entries such as <c>{ outcome: registered, values: { consent: "yes" }, days: 2 }</c> or <c>{ action: hold, reason: … }</c>.</param>
internal sealed record SimulationRequest(int Version, int? Walks, int? Seed, string? Script);

internal static class DefinitionSimulationEndpoints
{
    public static RouteGroupBuilder MapDefinitionSimulations(this RouteGroupBuilder group)
    {
        group.MapPost("/{key}/simulations", Simulate).WithName("SimulateDefinition")
            .WithSummary("Try a version with random or scripted walks (coordinators); no case is touched")
            .WithDescription("200 with the report: steps visited, outcomes taken and never possible (with reasons), dead paths, end states, timers fired. "
                + "422 when the walks or the script are wrong; 409 when the draft has problems.")
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    private static async Task<Results<Ok<SimulationReport>, ProblemHttpResult>> Simulate(
        HttpContext context, string key, SimulationRequest request, SimulateDefinition handler, CancellationToken cancellationToken)
    {
        var r = await handler.HandleAsync(
            new SimulateDefinition.Request(key, request?.Version ?? 0, request?.Walks ?? SimulateDefinition.DefaultWalks, request?.Seed ?? 1, request?.Script),
            context.Actor(), cancellationToken);
        return r.Status switch
        {
            CaseCommandStatus.Done => TypedResults.Ok(r.Report!),
            CaseCommandStatus.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, r.Message),
            CaseCommandStatus.InvalidForm when r.Problems.Count > 0 => ApiProblems.Problem(StatusCodes.Status409Conflict,
                $"{r.Message} {string.Join(" ", r.Problems.Take(5).Select(p => p.ToString()))}"),
            CaseCommandStatus.InvalidForm => ApiProblems.Fields(r.Errors, "The request has errors; see 'errors'. Nothing was simulated."),
            _ => ApiProblems.NotFound($"Version {request?.Version} of the definition '{key}'"),
        };
    }
}
