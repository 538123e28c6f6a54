using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;

namespace TIBS.Cases.Web.Api;

/// <summary>Examples of the case resources in the OpenAPI document.</summary>
internal static class CaseApiExamples
{
    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(CaseResource)] = """
            {"id":"0193a1f0-0000-7000-8000-0000000000c1","reference":"LV008-2026-0042","title":"Gauja Wood Modules: joint smart strategy","regionCode":"LV008",
             "status":"active","currentStage":"needs-assessment","currentStep":"first-contact","leadCompanyId":"0193a1f0-0000-7000-8000-0000000000d1",
             "ownerUserId":"0193a1f0-0000-7000-8000-000000000001","openedAt":"2026-11-20T09:00:00+00:00","stepDueAt":"2026-11-30T09:00:00+00:00","closedAt":null,"version":2}
            """,
        [typeof(CompleteStepBody)] = """
            {"outcome":"registered","values":{"contact-data-consent":true,"consent-date":"2026-11-20","source":"event",
             "cooperation-types":["technology","research"],"joint-actions":[{"action":"Pilot line","due-date":"2027-03-31"}]},"reason":null}
            """,
        [typeof(OutcomeResource)] = """
            {"key":"registered","label":"Company registered","target":"first-contact","isAllowed":false,"forYou":true,"requiresReason":false,
             "roles":["broker"],"unmet":[{"condition":"form-complete","reason":"Date of consent is not filled in."}]}
            """,
        [typeof(CaseActionBody)] = """{"reason":"The company is moving to new premises.","newOwnerUserId":null}""",
        [typeof(CheckInBody)] = """{"checkIn":"quarterly","occurrence":1,"values":{"implementation-status":"in-progress"}}""",
        [typeof(NoteBody)] = """{"body":"Called the CEO; the timber modules fit the Hamburg cluster."}""",
        [typeof(SampleBody)] = """{"region":"LV008","from":"2026-01-01","to":"2026-06-30","size":3,"seed":null}""",
        [typeof(OpenCaseBody)] = """{"leadCompanyId":"0193a1f0-0000-7000-8000-0000000000d1","title":null,"definitionKey":"joint-smart-strategy"}""",
    };

    public static IServiceCollection AddTibsCaseApiExamples(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>(ApiDocumentation.DocumentName, o => o.AddSchemaTransformer((schema, context, _) =>
        {
            if (Examples.TryGetValue(context.JsonTypeInfo.Type, out var example))
            {
                schema.Examples = [JsonNode.Parse(example)!];
            }

            return Task.CompletedTask;
        }));
}
