using System.Runtime.InteropServices;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using TIBS.Cases.Core.Notifications;

namespace TIBS.Cases.Web.Infrastructure.Mail;

/// <summary>Turns an <see cref="EmailMessage"/> into a plain-text MIME message.</summary>
internal static class MimeMessages
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
internal sealed class SmtpEmailSender(MailOptions options, TimeProvider time, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mime = MimeMessages.Create(message, options.From, time.GetUtcNow());
        // Returns only after the server accepted the message (250 after DATA): then the mail counts as sent.
        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(30).TotalMilliseconds };
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
/// message id; the mail is written to a temporary file, flushed to disk, and renamed into place, so a mail counts as
/// sent only once it is durable, and writing the same message twice leaves one file.
/// </summary>
internal sealed class PickupDirectoryEmailSender(string directory, string from, TimeProvider time) : IEmailSender
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
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await mime.WriteToAsync(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
            FlushDirectory();
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Makes the rename durable too (Linux and macOS: fsync of the folder; Windows renames durably).</summary>
    private void FlushDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // .NET cannot open a folder as a file: ask the C library directly (open read-only, fsync, close).
        int fd;
        try
        {
            fd = NativeMethods.Open(Directory, 0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return; // no C library by that name: the file itself is on disk
        }

        if (fd < 0)
        {
            return;
        }

        try
        {
            _ = NativeMethods.Fsync(fd);
        }
        finally
        {
            _ = NativeMethods.Close(fd);
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

internal static class NativeMethods
{
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenNative(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    internal static extern int Close(int fd);

    internal static int Open(string path, int flags) => OpenNative(System.Text.Encoding.UTF8.GetBytes(path + "\0"), flags);
}
