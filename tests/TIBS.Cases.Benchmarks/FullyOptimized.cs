using System.Diagnostics;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// Runs a batch scenario (the seed) in a child process of this program with tiered compilation off, so that its code is
/// compiled fully optimized at its first call. A seed of a few minutes on two busy cores otherwise spends most of its
/// run in unoptimized first-tier code: the background compiler that would promote it competes for the same cores as the
/// generator and the database, and promotion comes late. The other scenarios measure a steady state after a warm-up
/// and keep the runtime's defaults (tiers and profile-guided optimization), like the application.
/// </summary>
internal static class FullyOptimized
{
    private const string Variable = "DOTNET_TieredCompilation";

    /// <summary>
    /// The child's exit code, or null when this process already runs without tiers (or was told to keep them with
    /// <c>--tiered</c>, or cannot find its own executable): then the caller runs the scenario itself.
    /// </summary>
    public static async Task<int?> RelaunchAsync(string[] args)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null || args.Contains("--tiered") || Environment.ProcessPath is not { } host)
        {
            return null;
        }

        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(FullyOptimized).Assembly.Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[Variable] = "0";
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        await child.WaitForExitAsync();
        return child.ExitCode;
    }
}
