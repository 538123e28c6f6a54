using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MimeKit;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Observability;
using TIBS.Cases.Data;
using TIBS.Cases.Web.Infrastructure.Jobs;

namespace TIBS.Cases.Web.Infrastructure.Mail;

internal static class MailSetup
{
    /// <summary>
    /// The <c>Mail</c> settings (validated at start-up), the <see cref="IEmailSender"/> (SMTP when <c>Mail:Host</c> is
    /// set, otherwise <c>.eml</c> files in the pickup folder) and the <see cref="INotificationMailer"/>.
    /// </summary>
    public static IServiceCollection AddTibsMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IEmailSender>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MailOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            if (options.UsesSmtp)
            {
                return new SmtpEmailSender(options, time, sp.GetRequiredService<ILogger<SmtpEmailSender>>());
            }

            return new PickupDirectoryEmailSender(PickupDirectory(options, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value), options.From, time);
        });
        services.AddSingleton<INotificationMailer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MailOptions>>().Value;
            return new NotificationMailer(
                sp.GetRequiredService<INotificationStore>(),
                sp.GetRequiredService<IUserStore>(),
                sp.GetRequiredService<IEmailSender>(),
                sp.GetRequiredService<TimeProvider>(),
                options.BaseUrl)
            {
                Lease = sp.GetRequiredService<IOptions<JobOptions>>().Value.ClaimLease,
                MessageIdDomain = MessageIdDomain(options.From),
                Metrics = sp.GetRequiredService<TibsMetrics>(),
            };
        });
        return services;
    }

    /// <summary>The host of the sender address (<c>Mail:From</c>): the right-hand side of every message id.</summary>
    public static string MessageIdDomain(string from) =>
        MailboxAddress.TryParse(from, out var address) && address.Domain is { Length: > 0 } domain ? domain : "tibs.example";

    /// <summary><c>Mail:PickupDirectory</c>, or <c>&lt;Database:DataDirectory&gt;/mail</c>, relative to the current directory.</summary>
    public static string PickupDirectory(MailOptions mail, DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(mail);
        ArgumentNullException.ThrowIfNull(database);
        var current = Directory.GetCurrentDirectory();
        return string.IsNullOrWhiteSpace(mail.PickupDirectory)
            ? Path.Combine(database.DataFolder(current), "mail")
            : Path.GetFullPath(mail.PickupDirectory, current);
    }
}
