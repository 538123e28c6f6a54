using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace TIBS.Cases.Web.Api;

/// <summary>The <c>Api</c> section.</summary>
internal sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Requests one token may make per <see cref="RateLimitWindow"/> (per web node).</summary>
    public int RateLimitPermits { get; set; } = 300;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// A fixed window of requests per access token (the ASP.NET Core rate limiter, partitioned by token id). Runs after
/// authentication, so that the partition is the token; a refusal is a 429 problem with <c>Retry-After</c>.
/// </summary>
internal static class ApiRateLimit
{
    public static RateLimiterOptions Options(ApiOptions api) => new()
    {
        GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.User.FindFirstValue(AccessTokenAuthentication.TokenIdClaim) is { } tokenId
                ? RateLimitPartition.GetFixedWindowLimiter(tokenId, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = api.RateLimitPermits,
                    Window = api.RateLimitWindow,
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("")),
        RejectionStatusCode = StatusCodes.Status429TooManyRequests,
        OnRejected = (context, _) =>
        {
            var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : api.RateLimitWindow;
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return new ValueTask(ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                string.Create(CultureInfo.InvariantCulture, $"This token made more than {api.RateLimitPermits} requests in {api.RateLimitWindow}. Try again in {seconds} s.")));
        },
    };

    public static void Validate(OptionsBuilder<ApiOptions> options) => options
        .Validate(o => o.RateLimitPermits >= 1, "Api:RateLimitPermits must be at least 1.")
        .Validate(o => o.RateLimitWindow > TimeSpan.Zero, "Api:RateLimitWindow must be a positive time span such as 00:01:00.")
        .ValidateOnStart();
}
