using Microsoft.Extensions.Options;

namespace TIBS.Cases.Data;

/// <summary>The database products TIBS.Cases runs on.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}

/// <summary>
/// The <c>Database</c> configuration section. <see cref="Provider"/> picks the product; <see cref="ConnectionString"/>
/// is required for the servers and defaults to <c>Data Source=./data/tibs.db</c> for the embedded SQLite database.
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Kept as text so that a wrong value gets a message naming the setting, not a binder exception.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    public string? ConnectionString { get; set; }

    /// <summary>Folder of the embedded database, e-mails and attachments when SQLite is used.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Folder of attachment files (outside the web root); default: <c>&lt;DataDirectory&gt;/attachments</c>.</summary>
    public string? AttachmentsFolder { get; set; }

    /// <summary>Seconds to keep retrying the first connection while a server starts (docker compose).</summary>
    public int StartupRetrySeconds { get; set; } = 30;

    /// <summary>
    /// Whether start-up applies pending schema scripts (the default). Operators who migrate explicitly with
    /// <c>db migrate</c> set it to false: start-up then refuses a database with pending scripts instead.
    /// </summary>
    public bool Migrate { get; set; } = true;

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var p) && Enum.IsDefined(p)
            ? p
            : throw new InvalidOperationException($"Database:Provider '{Provider}' is not supported.");

    /// <summary>
    /// The full path of <see cref="DataDirectory"/> (relative to <paramref name="baseDirectory"/>, by default the current
    /// directory): the embedded database, attachments, mail pickup, anchor files and development keys live under it.
    /// </summary>
    public string DataFolder(string? baseDirectory = null) => Path.GetFullPath(DataDirectory, baseDirectory ?? Directory.GetCurrentDirectory());

    /// <summary>The connection string to use: the configured one, or the embedded default for SQLite.</summary>
    public string EffectiveConnectionString(string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return ConnectionString;
        }

        return $"Data Source={Path.Combine(DataFolder(contentRoot), "tibs.db")}";
    }
}

/// <summary>Validates <see cref="DatabaseOptions"/> at start-up with messages that name the setting.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var failures = new List<string>();
        var known = string.Join(", ", Enum.GetNames<DatabaseProvider>());
        if (!Enum.TryParse<DatabaseProvider>(options.Provider, ignoreCase: true, out var provider) || !Enum.IsDefined(provider)
            || int.TryParse(options.Provider, out _))
        {
            failures.Add($"Database:Provider has the value '{options.Provider}', which is not one of {known}.");
        }
        else if (provider != DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"Database:ConnectionString is required when Database:Provider is {provider}.");
        }
        else if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            try
            {
                _ = ConnectionFactory.CreateBuilder(provider, options.ConnectionString);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
            {
                failures.Add($"Database:ConnectionString is not a valid {provider} connection string: {ex.Message}");
            }
        }

        if (options.StartupRetrySeconds is < 0 or > 600)
        {
            failures.Add($"Database:StartupRetrySeconds must be between 0 and 600 (it is {options.StartupRetrySeconds}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
