using Microsoft.Extensions.Logging;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Web.Infrastructure.Audit;

namespace TIBS.Cases.IntegrationTests.Audit;

/// <summary>Where the audit keys come from: a generated development key (said in the log), a configured key, trusted older keys.</summary>
public sealed class AuditKeySetupTests
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "tibs-tests", $"keys_{Guid.NewGuid():N}");

    [Fact]
    public void A_development_key_is_made_once_in_the_data_directory_and_the_log_says_where()
    {
        var keyFile = Path.Combine(folder, AuditSetup.DevelopmentKeyFileName);
        var log = new ListLogger();

        using var first = AuditSetup.LoadKeys(new AuditOptions(), keyFile, mayGenerate: true, log);
        using var again = AuditSetup.LoadKeys(new AuditOptions(), keyFile, mayGenerate: true, log);

        Assert.True(File.Exists(keyFile));
        Assert.Equal(first.SigningKeyId, again.SigningKeyId);
        var message = Assert.Single(log.Messages);
        Assert.Contains($"Generated an audit signing key for development at {keyFile}", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_key_signs_and_the_public_keys_of_a_trusted_keys_folder_verify()
    {
        Directory.CreateDirectory(Path.Combine(folder, "trusted"));
        var signingFile = Path.Combine(folder, "signing.pem");
        File.WriteAllText(signingFile, AuditKeyRing.NewPrivateKeyPem());
        using var old = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(folder, "trusted", "2025.pem"), old.ExportSubjectPublicKeyInfoPem());

        using var keys = AuditSetup.LoadKeys(new AuditOptions { SigningKeyFile = signingFile, TrustedKeys = Path.Combine(folder, "trusted") },
            Path.Combine(folder, "unused.pem"), mayGenerate: true, new ListLogger());

        Assert.False(File.Exists(Path.Combine(folder, "unused.pem")));
        Assert.Equal([true, false], keys.PublicKeys.Select(k => k.IsSigningKey));
        Assert.True(keys.IsTrusted(AuditKeyRing.KeyId(old)));
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
