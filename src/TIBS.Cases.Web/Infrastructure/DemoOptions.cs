namespace TIBS.Cases.Web.Infrastructure;

/// <summary>
/// The <c>Demo</c> section. Demo accounts and SMEs are created only on the embedded SQLite database and only when it
/// has no users yet. <see cref="Password"/> fixes the demo password; otherwise one is generated and printed once.
/// </summary>
internal sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Null means: seed when the provider is SQLite.</summary>
    public bool? Enabled { get; set; }

    public string? Password { get; set; }
}

/// <summary>
/// The <c>Bootstrap</c> section: on a database without users (a new production install), creates the first
/// administrator with this e-mail and password. Ignored once any user exists.
/// </summary>
internal sealed class BootstrapOptions
{
    public const string SectionName = "Bootstrap";

    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }
}

/// <summary>The <c>Workflows</c> section: where the definition files imported at start-up are.</summary>
internal sealed class WorkflowOptions
{
    public const string SectionName = "Workflows";

    /// <summary>Folder of <c>&lt;key&gt;/v&lt;N&gt;.yaml</c> files; default: <c>workflows</c> next to the application.</summary>
    public string? Folder { get; set; }

    public string ResolveFolder() => string.IsNullOrWhiteSpace(Folder) ? Path.Combine(AppContext.BaseDirectory, "workflows") : Path.GetFullPath(Folder);
}
