using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using TIBS.Cases.Web.Infrastructure.Security;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// The OpenAPI 3.1 document of <c>/api/v1</c> at <c>/openapi/v1.json</c> (public: it describes, it grants nothing),
/// with the bearer security scheme and the problem details shapes, and the Scalar reference page at <c>/scalar</c>
/// for signed-in users (its script is served by the application, never from a CDN).
/// </summary>
internal static class ApiDocumentation
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string SecuritySchemeName = "bearer";

    public static IServiceCollection AddTibsOpenApi(this IServiceCollection services) => services.AddOpenApi(DocumentName, o =>
    {
        o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "TIBS.Cases API",
                Version = "v1",
                Description = "Cases, partners, companies, workflow definitions and notifications of TIBS.Cases. Authenticate with a personal access "
                    + "token from your Preferences page: 'Authorization: Bearer tibs_…'. Errors are RFC 9457 problem details; writes that change a "
                    + "case's state need If-Match with the case's ETag; POSTs accept an Idempotency-Key.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "tibs_<id>_<secret>",
                Description = "A personal access token created on the Preferences page. Scope 'read' or 'write'; the token has its user's rights, never more.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, document)] = [] }];
            return Task.CompletedTask;
        });
        o.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(HttpValidationProblemDetails))
            {
                schema.Examples = [Example("""
                    {"type":"https://tools.ietf.org/html/rfc4918#section-11.2","title":"Unprocessable content","status":422,
                     "detail":"The request has errors; see 'errors'. Nothing was saved.","errors":{"yaml":["Send the definition's YAML in 'yaml'."]}}
                    """)];
            }
            else if (context.JsonTypeInfo.Type == typeof(ProblemDetails))
            {
                schema.Examples = [Example("""
                    {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not found","status":404,
                     "detail":"The notification was not found, or it is not shared with you."}
                    """)];
            }
            else if (context.JsonTypeInfo.Type == typeof(ProfileResponse))
            {
                schema.Examples = [Example("""
                    {"id":"0193a1f0-0000-7000-8000-000000000001","email":"broker.pl84@tibs.example","displayName":"Anna Kowalska","role":"broker",
                     "roleName":"Innovation broker","regionCode":"PL84","tokenId":"0193a1f0-0000-7000-8000-0000000000aa","scopes":["read","write"]}
                    """)];
            }

            return Task.CompletedTask;
        });
    });

    private static JsonNode Example(string json) => JsonNode.Parse(json)!;

    public static void MapTibsApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/scalar", (o, context) =>
        {
            o.Title = "TIBS.Cases API";
            o.OpenApiRoutePattern = "/openapi/{documentName}.json";
            o.Nonce = context.CspNonce();
            o.DefaultFonts = false;
            o.Telemetry = false;
        }).RequireAuthorization();
    }
}
