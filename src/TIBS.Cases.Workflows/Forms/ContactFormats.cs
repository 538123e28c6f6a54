using System.Net.Mail;
using System.Text.RegularExpressions;

namespace TIBS.Cases.Workflows.Forms;

/// <summary>
/// The one declaration of what an e-mail address, a phone number and a web address must look like, and how long
/// each may be. Step forms (<c>email</c>, <c>phone</c>, <c>url</c> fields) and the company profile check them here,
/// so a value accepted by one is accepted by the other.
/// </summary>
public static partial class ContactFormats
{
    public const int MaxEmailLength = 320;
    public const int MaxPhoneLength = 50;
    public const int MaxWebsiteLength = 500;

    /// <summary>What to write instead of a value that is not an e-mail address.</summary>
    public const string EmailHint = "enter an e-mail address such as name@example.org.";

    /// <summary>What to write instead of a value that is not a phone number.</summary>
    public const string PhoneHint = "enter a phone number of digits, spaces and + ( ) - . /, such as +371 2612 3456.";

    /// <summary>What to write instead of a value that is not a web address.</summary>
    public const string WebsiteHint = "enter the full address, starting with http:// or https://, such as https://example.com.";

    /// <summary>A single address (no display name) whose domain has a dot: <c>name@example.org</c>.</summary>
    public static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && address.Host.Contains('.', StringComparison.Ordinal);

    /// <summary>Digits, spaces and + ( ) - . /, with at least five digits.</summary>
    public static bool IsPhone(string value) => Phone().IsMatch(value) && value.Count(char.IsAsciiDigit) >= 5;

    /// <summary>An absolute http or https address with a host.</summary>
    public static bool IsWebsite(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);

    [GeneratedRegex(@"^\+?[0-9 ()./-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();
}
