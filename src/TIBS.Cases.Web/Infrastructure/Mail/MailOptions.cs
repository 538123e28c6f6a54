using Microsoft.Extensions.Options;
using MimeKit;

namespace TIBS.Cases.Web.Infrastructure.Mail;

/// <summary>
/// The <c>Mail</c> section. With <see cref="Host"/> set, mail goes over SMTP; otherwise each mail is written as an
/// <c>.eml</c> file into <see cref="PickupDirectory"/> (default <c>&lt;Database:DataDirectory&gt;/mail</c>).
/// </summary>
internal sealed class MailOptions
{
    public const string SectionName = "Mail";

    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary>Use TLS: STARTTLS when the server offers it (implicit TLS on port 465).</summary>
    public bool UseTls { get; set; } = true;

    public string? User { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "TIBS.Cases <no-reply@tibs.example>";

    /// <summary>Address of the application as users reach it; links in mails start with it.</summary>
    public string BaseUrl { get; set; } = "http://localhost:5080";

    public string? PickupDirectory { get; set; }

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>Checks <see cref="MailOptions"/> at start-up with messages that name the setting.</summary>
internal sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"Mail:Port must be between 1 and 65535 (it is {options.Port}).");
        }

        if (string.IsNullOrWhiteSpace(options.From) || !MailboxAddress.TryParse(options.From, out _))
        {
            failures.Add($"Mail:From must be an e-mail address such as \"TIBS.Cases <no-reply@tibs.example>\" (it is '{options.From}').");
        }

        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            failures.Add($"Mail:BaseUrl must be an absolute http or https address such as http://localhost:5080 (it is '{options.BaseUrl}').");
        }

        if (!string.IsNullOrWhiteSpace(options.User) && string.IsNullOrEmpty(options.Password))
        {
            failures.Add("Mail:Password is required when Mail:User is set.");
        }

        if (options.PickupDirectory is { } dir && dir.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"Mail:PickupDirectory '{dir}' is not a valid folder name.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
