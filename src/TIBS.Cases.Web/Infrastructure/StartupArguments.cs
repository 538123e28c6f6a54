namespace TIBS.Cases.Web.Infrastructure;

/// <summary>
/// Checks the program's own arguments before they become configuration, so that a misplaced or misspelt option is
/// reported instead of silently ignored (<c>dotnet TIBS.Cases.Web.dll -- --Demo:Password=X</c> would otherwise start
/// with a generated password).
/// </summary>
internal static class StartupArguments
{
    /// <summary>
    /// The application's own sections, each an options class with a <c>SectionName</c> constant: a setting in one of
    /// them must name one of its properties.
    /// </summary>
    private static readonly Dictionary<string, Type> OwnSections = new[] { typeof(StartupArguments).Assembly, typeof(TIBS.Cases.Data.DatabaseOptions).Assembly }
        .SelectMany(a => a.GetTypes())
        .Select(t => (Type: t, Field: t.GetField("SectionName", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)))
        .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
        .ToDictionary(x => (string)x.Field!.GetRawConstantValue()!, x => x.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>The first part of every other setting the host reads (ASP.NET Core and the generic host).</summary>
    private static readonly HashSet<string> HostSections = new(StringComparer.OrdinalIgnoreCase)
    {
        "Logging", "AllowedHosts", "Kestrel", "urls", "http_ports", "https_ports", "https_port", "environment",
        "contentRoot", "webroot", "applicationName", "detailedErrors", "shutdownTimeoutSeconds", "hostingStartupAssemblies",
        "hostingStartupExcludeAssemblies", "preventHostingStartup", "suppressStatusMessages", "captureStartupErrors",
        "pathbase", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT",
    };

    /// <summary>What is wrong with <paramref name="args"/>, in words, or null when every argument is a known setting.</summary>
    public static string? Problem(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                return "'--' only separates `dotnet run`'s own options from the program's. Running the program itself, give the settings " +
                    "directly, for example: dotnet TIBS.Cases.Web.dll --Demo:Password=YourPassword";
            }

            var key = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..]
                : arg.StartsWith('/') && arg.Length > 1 ? arg[1..]
                : null;
            if (key is null)
            {
                return $"'{arg}' is not a command or a setting. Commands: definitions, audit, worker (see README); settings look like --Database:Provider=Postgres.";
            }

            var hasValue = key.Contains('=', StringComparison.Ordinal);
            key = key.Split('=', 2)[0];
            var parts = key.Split(':');
            if (OwnSections.TryGetValue(parts[0], out var options))
            {
                var names = options.GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToList();
                if (parts.Length < 2 || !names.Contains(parts[1], StringComparer.OrdinalIgnoreCase))
                {
                    return $"'--{key}' is not a setting of TIBS.Cases. The settings of {parts[0]} are: " +
                        string.Join(", ", names.Select(n => $"{parts[0]}:{n}")) + " (see README, Configuration).";
                }
            }
            else if (!HostSections.Contains(parts[0]))
            {
                return $"'--{key}' is not a setting of TIBS.Cases. Settings start with one of: {string.Join(", ", OwnSections.Keys.Order(StringComparer.Ordinal))} " +
                    "(see README, Configuration), or are ASP.NET Core's (--urls, --environment, --Logging:…).";
            }

            if (!hasValue)
            {
                i++; // "--Key value"
            }
        }

        return null;
    }
}
