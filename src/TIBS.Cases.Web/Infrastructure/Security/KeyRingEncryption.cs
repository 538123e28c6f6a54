using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;
using TIBS.Cases.Data;

namespace TIBS.Cases.Web.Infrastructure.Security;

/// <summary>
/// The <c>DataProtection</c> section: the key file that encrypts the Data Protection key ring (the keys behind
/// sign-in cookies and antiforgery tokens) before it is stored in the database. Required outside Development.
/// </summary>
internal sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>A file holding 32 random bytes in Base64 (<c>openssl rand -base64 32</c>); new keys are encrypted with it.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Earlier key files, still used to decrypt keys written before a rotation.</summary>
    public string[] PreviousKeyFiles { get; set; } = [];
}

/// <summary>One AES-256 key read from a key file, named by the start of its SHA-256.</summary>
internal sealed record KeyRingKey(string Id, byte[] Bytes)
{
    public static KeyRingKey Read(string path, string setting)
    {
        if (!File.Exists(path))
        {
            throw new KeyRingConfigurationException($"{setting} names '{path}', which does not exist.");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            throw new KeyRingConfigurationException($"{setting} names '{path}', which does not hold Base64 text (create it with: openssl rand -base64 32 > {Path.GetFileName(path)}).");
        }

        return bytes.Length == 32
            ? new KeyRingKey(Convert.ToHexStringLower(SHA256.HashData(bytes))[..16], bytes)
            : throw new KeyRingConfigurationException($"{setting} names '{path}', which holds {bytes.Length} bytes; it must hold exactly 32 (openssl rand -base64 32).");
    }
}

internal sealed class KeyRingConfigurationException(string message) : Exception(message);

/// <summary>
/// The configured key files, read once when the key ring is first used. In Development without a configured key
/// file (<c>dotnet run</c> on a fresh clone), one is made in the data folder, so that the key ring is never stored
/// in plain form there either.
/// </summary>
internal sealed class KeyRingKeys(IOptions<KeyRingOptions> options, IOptions<DatabaseOptions> database, IHostEnvironment environment, ILogger<KeyRingKeys> logger)
{
    public const string DevelopmentKeyFileName = "dataprotection.key";

    private readonly Lazy<(KeyRingKey? Current, IReadOnlyList<KeyRingKey> All)> keys = new(() =>
    {
        var o = options.Value;
        var keyFile = o.KeyFile;
        if (string.IsNullOrWhiteSpace(keyFile) && environment.IsDevelopment())
        {
            keyFile = Path.Combine(database.Value.DataFolder(), DevelopmentKeyFileName);
            if (!File.Exists(keyFile))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
                File.WriteAllText(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                logger.LogWarning(
                    "Generated a key file for the sign-in keys at {KeyFile} for development. Outside Development set DataProtection:KeyFile to a key kept outside the database (see README, Deployment).",
                    keyFile);
            }
        }

        var current = string.IsNullOrWhiteSpace(keyFile) ? null : KeyRingKey.Read(keyFile, "DataProtection:KeyFile");
        var previous = o.PreviousKeyFiles.Select((f, i) => KeyRingKey.Read(f, $"DataProtection:PreviousKeyFiles:{i}"));
        return (current, [.. previous.Prepend(current).OfType<KeyRingKey>()]);
    });

    public KeyRingKey? Current => keys.Value.Current;

    public KeyRingKey? Find(string id) => keys.Value.All.FirstOrDefault(k => k.Id == id);
}

/// <summary>Encrypts each key of the ring with AES-256-GCM under the configured key file before it is stored.</summary>
internal sealed class KeyFileXmlEncryptor(KeyRingKey key) : IXmlEncryptor
{
    internal static readonly byte[] AssociatedData = "TIBS.Cases Data Protection key ring"u8.ToArray();

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var cipher = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(key.Bytes, tag.Length))
        {
            aes.Encrypt(nonce, plain, cipher, tag, AssociatedData);
        }

        CryptographicOperations.ZeroMemory(plain);
        var element = new XElement("aesGcmEncrypted",
            new XAttribute("keyId", key.Id),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(cipher)));
        return new EncryptedXmlInfo(element, typeof(KeyFileXmlDecryptor));
    }
}

/// <summary>Decrypts keys written by <see cref="KeyFileXmlEncryptor"/> with the current or a previous key file.</summary>
internal sealed class KeyFileXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var id = (string?)encryptedElement.Attribute("keyId") ?? "";
        var key = services.GetRequiredService<KeyRingKeys>().Find(id)
            ?? throw new CryptographicException(
                $"A Data Protection key was encrypted with key file {id}, which is neither DataProtection:KeyFile nor one of DataProtection:PreviousKeyFiles.");
        var nonce = Convert.FromBase64String((string?)encryptedElement.Element("nonce") ?? "");
        var tag = Convert.FromBase64String((string?)encryptedElement.Element("tag") ?? "");
        var cipher = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(key.Bytes, tag.Length))
        {
            aes.Decrypt(nonce, cipher, tag, plain, KeyFileXmlEncryptor.AssociatedData);
        }

        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plain));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }
}

internal static class KeyRingEncryption
{
    /// <summary>Data Protection keys in the database, encrypted with a key file kept outside it.</summary>
    public static void AddTibsKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("TIBS.Cases");
        services.AddOptions<KeyRingOptions>().BindConfiguration(KeyRingOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyRingOptions>, KeyRingOptionsValidator>();
        services.AddSingleton<KeyRingKeys>();
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((o, sp) =>
        {
            o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IDbConnectionFactory>(), sp.GetRequiredService<TimeProvider>());
            if (sp.GetRequiredService<KeyRingKeys>().Current is { } key)
            {
                o.XmlEncryptor = new KeyFileXmlEncryptor(key);
            }
        });
    }

    private sealed class KeyRingOptionsValidator(IHostEnvironment environment) : IValidateOptions<KeyRingOptions>
    {
        public ValidateOptionsResult Validate(string? name, KeyRingOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.KeyFile) && !environment.IsDevelopment())
            {
                return ValidateOptionsResult.Fail(
                    $"DataProtection:KeyFile is not set. Outside Development (the environment is {environment.EnvironmentName}) the keys that protect " +
                    "sign-in cookies are stored encrypted: create a key file with `openssl rand -base64 32 > dataprotection.key`, keep it outside " +
                    "the database, and set DataProtection:KeyFile to its path (see README, Deployment).");
            }

            var problems = new List<string>();
            var files = options.PreviousKeyFiles.Select((f, i) => (File: f, Setting: $"DataProtection:PreviousKeyFiles:{i}"));
            if (!string.IsNullOrWhiteSpace(options.KeyFile))
            {
                files = files.Prepend((options.KeyFile, "DataProtection:KeyFile"));
            }

            foreach (var (file, setting) in files)
            {
                try
                {
                    KeyRingKey.Read(file, setting);
                }
                catch (KeyRingConfigurationException ex)
                {
                    problems.Add(ex.Message);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    problems.Add($"{setting} names '{file}', which cannot be read: {ex.Message}");
                }
            }

            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
