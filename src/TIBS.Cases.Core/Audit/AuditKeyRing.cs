using System.Security.Cryptography;
using System.Text;

namespace TIBS.Cases.Core.Audit;

/// <summary>A public key that verifies checkpoints: its id and its PEM text (SubjectPublicKeyInfo).</summary>
public sealed record AuditPublicKey(string KeyId, string Pem, bool IsSigningKey);

/// <summary>
/// The keys of the audit anchors: at most one private key that signs new checkpoints, and every public key whose
/// checkpoints are trusted (the signing key's own public half, and older keys kept after a rotation). A key's id
/// is the first 16 hex digits of SHA-256 over its public key (SubjectPublicKeyInfo), so an id can neither be chosen
/// nor collide by mistake. Keys are ECDSA P-256; signatures are over SHA-256 in IEEE P1363 form.
/// </summary>
public sealed class AuditKeyRing : IDisposable
{
    private readonly ECDsa? signing;
    private readonly Dictionary<string, ECDsa> trusted = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public AuditKeyRing(ECDsa? signingKey, IEnumerable<ECDsa> trustedPublicKeys)
    {
        signing = signingKey;
        var keys = new List<AuditPublicKey>();
        if (signingKey is not null)
        {
            CheckCurve(signingKey);
            SigningKeyId = KeyId(signingKey);
            var pub = ECDsa.Create();
            pub.ImportSubjectPublicKeyInfo(signingKey.ExportSubjectPublicKeyInfo(), out _);
            trusted[SigningKeyId] = pub;
            keys.Add(new AuditPublicKey(SigningKeyId, pub.ExportSubjectPublicKeyInfoPem(), true));
        }

        foreach (var key in trustedPublicKeys)
        {
            CheckCurve(key);
            var id = KeyId(key);
            if (trusted.TryAdd(id, key))
            {
                keys.Add(new AuditPublicKey(id, key.ExportSubjectPublicKeyInfoPem(), false));
            }
        }

        PublicKeys = keys;
    }

    /// <summary>Id of the key that signs new checkpoints; null when this process only verifies.</summary>
    public string? SigningKeyId { get; }

    public IReadOnlyList<AuditPublicKey> PublicKeys { get; }

    /// <summary>Reads a private key (PKCS#8 or SEC1 "EC PRIVATE KEY") and any number of public keys from PEM text.</summary>
    public static AuditKeyRing FromPem(string? signingKeyPem, IEnumerable<string> trustedPublicKeyPems)
    {
        ECDsa? signingKey = null;
        if (!string.IsNullOrWhiteSpace(signingKeyPem))
        {
            signingKey = ECDsa.Create();
            signingKey.ImportFromPem(signingKeyPem);
        }

        var trustedKeys = trustedPublicKeyPems.Select(pem =>
        {
            var k = ECDsa.Create();
            k.ImportFromPem(pem);
            return k;
        }).ToList();
        return new AuditKeyRing(signingKey, trustedKeys);
    }

    /// <summary>A new P-256 private key in PKCS#8 PEM (what <c>openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256</c> writes).</summary>
    public static string NewPrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    public static string KeyId(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    /// <summary>Signs a checkpoint with the signing key; its key id is set to the signing key's.</summary>
    public AuditCheckpoint Sign(AuditCheckpoint checkpoint)
    {
        if (signing is null || SigningKeyId is null)
        {
            throw new InvalidOperationException("No audit signing key is configured (Audit:SigningKeyFile).");
        }

        var unsigned = checkpoint with { KeyId = SigningKeyId, Signature = "" };
        lock (gate)
        {
            return unsigned with { Signature = Convert.ToBase64String(signing.SignData(Encoding.UTF8.GetBytes(unsigned.Body), HashAlgorithmName.SHA256)) };
        }
    }

    public bool IsTrusted(string keyId) => trusted.ContainsKey(keyId);

    /// <summary>True when the checkpoint's signature was made by the trusted key it names over exactly its content.</summary>
    public bool Verify(AuditCheckpoint checkpoint)
    {
        if (!trusted.TryGetValue(checkpoint.KeyId, out var key))
        {
            return false;
        }

        var signature = new byte[64];
        if (!Convert.TryFromBase64String(checkpoint.Signature, signature, out var length) || length != 64)
        {
            return false;
        }

        lock (gate)
        {
            return key.VerifyData(Encoding.UTF8.GetBytes(checkpoint.Body), signature, HashAlgorithmName.SHA256);
        }
    }

    public void Dispose()
    {
        signing?.Dispose();
        foreach (var k in trusted.Values)
        {
            k.Dispose();
        }
    }

    private static void CheckCurve(ECDsa key)
    {
        if (key.KeySize != 256)
        {
            throw new CryptographicException($"Audit keys must be ECDSA P-256 keys; this one has {key.KeySize} bits.");
        }
    }
}
