using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace TIBS.Cases.Web.Api;

/// <summary>Authorization policies of the API: every one authenticates with the access token only, never the cookie.</summary>
internal static class ApiPolicies
{
    /// <summary>Any token of an active user.</summary>
    public const string Read = "api-read";

    /// <summary>A token with the <c>write</c> scope.</summary>
    public const string Write = "api-write";

    public const string Coordinator = "api-coordinator";
}

/// <summary>What endpoints of the API declare: the write scope, and the problems they may answer with (for the OpenAPI document).</summary>
internal static class ApiEndpointConventions
{
    private static readonly string[] ProblemJson = ["application/problem+json"];

    /// <summary>The endpoint changes something: it needs a token with the <c>write</c> scope (403 otherwise).</summary>
    public static TBuilder Writes<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new WriteScopeMetadata()).RequireAuthorization(ApiPolicies.Write).Problems(StatusCodes.Status403Forbidden);

    /// <summary>Declares problem details answers with these status codes.</summary>
    public static TBuilder Problems<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statusCodes)
        {
            var type = status == StatusCodes.Status422UnprocessableEntity ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, type, ProblemJson));
        }

        return builder;
    }

    /// <summary>The actor of the request: the token's user with the rights they have now.</summary>
    public static TIBS.Cases.Core.Cases.Actor Actor(this HttpContext context) => Infrastructure.CurrentUser.ToActor(context.User);

    public static IProducesResponseTypeMetadata? Find(this EndpointMetadataCollection metadata, int status) =>
        metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().FirstOrDefault(m => m.StatusCode == status);
}
