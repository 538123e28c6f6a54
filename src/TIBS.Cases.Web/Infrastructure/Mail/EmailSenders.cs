using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using TIBS.Cases.Core.Notifications;

namespace TIBS.Cases.Web.Infrastructure.Mail;

/// <summary>Turns an <see cref="EmailMessage"/> into a plain-text MIME message.</summary>
public static class MimeMessages
{
    public static MimeMessage Create(EmailMessage message, string from, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            MessageId = message.MessageId,
            Date = date,
            Body = new TextPart("plain") { Text = message.TextBody },
        };
        mime.From.Add(MailboxAddress.Parse(from));
        mime.To.Add(new MailboxAddress(message.ToName, message.To));
        return mime;
    }
}

/// <summary>Sends over SMTP with MailKit (one connection per mail: the volume is a few mails a minute).</summary>
public sealed class SmtpEmailSender(MailOptions options, TimeProvider time, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mime = MimeMessages.Create(message, options.From, time.GetUtcNow());
        using var client = new SmtpClient();
        var security = !options.UseTls ? SecureSocketOptions.None
            : options.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTlsWhenAvailable;
        await client.ConnectAsync(options.Host ?? throw new InvalidOperationException("Mail:Host is not set."), options.Port, security, cancellationToken);
        if (!string.IsNullOrWhiteSpace(options.User))
        {
            await client.AuthenticateAsync(options.User, options.Password ?? "", cancellationToken);
        }

        await client.SendAsync(mime, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        logger.LogInformation("Mail {MessageId} sent to {To} over {Host}:{Port}.", message.MessageId, message.To, options.Host, options.Port);
    }
}

/// <summary>
/// Writes each mail as an <c>.eml</c> file (the embedded default, no mail server needed). The file name comes from the
/// message id, and the file is replaced atomically: writing the same message twice leaves one file.
/// </summary>
public sealed class PickupDirectoryEmailSender(string directory, string from, TimeProvider time) : IEmailSender
{
    public string Directory { get; } = directory;

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        System.IO.Directory.CreateDirectory(Directory);
        var mime = MimeMessages.Create(message, from, time.GetUtcNow());
        var target = FilePath(message.MessageId);
        var temp = Path.Combine(Directory, $".{Guid.NewGuid():N}.tmp");
        try
        {
            await mime.WriteToAsync(temp, cancellationToken);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The file of a message id: its safe characters, so a resend overwrites the same file.</summary>
    public string FilePath(string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        var safe = new string([.. messageId.Trim('<', '>').Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' ? c : '_')]);
        return Path.Combine(Directory, (safe.Length == 0 ? "message" : safe) + ".eml");
    }
}
