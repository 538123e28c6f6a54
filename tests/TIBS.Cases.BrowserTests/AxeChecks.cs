using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// Accessibility checks with axe-core, vendored in the web project (wwwroot/lib/axe-core, kept out of what the
/// application serves) and put into the page by the test only.
/// </summary>
public static class AxeChecks
{
    /// <summary>The vendored axe-core script (scripts/vendor-web-libs.sh refreshes it).</summary>
    public static readonly string AxeScriptPath = Path.Combine(BrowserFixture.WebProjectDirectory(), "wwwroot", "lib", "axe-core", "axe.min.js");

    private static readonly Lazy<string> AxeSource = new(() => File.ReadAllText(AxeScriptPath));

    /// <summary>
    /// Runs axe-core on the page as it is now and fails, naming <paramref name="what"/>, with every serious or critical
    /// violation: its rule, the elements (CSS selectors) and the rule's help text.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page, string what)
    {
        var violations = await SeriousViolationsAsync(page);
        if (violations.Count == 0)
        {
            return;
        }

        var report = new StringBuilder($"{what} ({page.Url}) has {violations.Count} serious or critical accessibility problem(s):");
        foreach (var v in violations)
        {
            report.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n- [{v.Impact}] {v.Rule}: {v.Help} ({v.HelpUrl})");
            foreach (var target in v.Targets)
            {
                report.Append("\n    element: ").Append(target);
            }
        }

        Assert.Fail(report.ToString());
    }

    /// <summary>The serious and critical violations axe-core finds on the page.</summary>
    public static async Task<IReadOnlyList<AxeViolation>> SeriousViolationsAsync(IPage page)
    {
        // Evaluated through the browser's debugging protocol, which the page's Content-Security-Policy does not block
        // (a <script> tag added with its text would be an inline script, which the policy forbids).
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync($"() => {{ {AxeSource.Value}\n}}");
        }

        var json = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await window.axe.run(document, { resultTypes: ['violations'] });
              return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({
                  rule: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                  targets: v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ') : ''))
                }));
            }
            """);
        return json.EnumerateArray().Select(v => new AxeViolation(
            v.GetProperty("rule").GetString()!,
            v.GetProperty("impact").GetString()!,
            v.GetProperty("help").GetString()!,
            v.GetProperty("helpUrl").GetString()!,
            v.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToList())).ToList();
    }
}

/// <summary>One axe-core rule that a page breaks, with the elements that break it.</summary>
public sealed record AxeViolation(string Rule, string Impact, string Help, string HelpUrl, IReadOnlyList<string> Targets);
