using System.Collections.Frozen;
using System.Globalization;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>
/// The product's one password rule, after NIST SP 800-63B: at least <see cref="MinimumLength"/> characters, at most
/// <see cref="MaximumLength"/>, no composition rules (any character counts, spaces included), and not one of the
/// commonly used passwords shipped with the product (common-passwords.txt, compared without regard to case), nor the
/// user's own e-mail address or name. There is no periodic expiry.
/// </summary>
public static class PasswordRule
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 256;

    private static readonly Lazy<FrozenSet<string>> Common = new(LoadCommon);

    /// <summary>The rule in words, shown on every field where a new password is chosen.</summary>
    public static string Description =>
        Localized.Format("At least {0} characters. Any characters count, spaces too: a few words make a good password. Commonly used passwords are refused.", MinimumLength);

    /// <summary>How many common passwords are refused.</summary>
    public static int CommonPasswordCount => Common.Value.Count;

    /// <summary>What is wrong with <paramref name="password"/> in words; null when it is acceptable.</summary>
    public static string? Problem(string? password, params string?[] personal)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Localized.Text("Enter a password.");
        }

        var length = new StringInfo(password).LengthInTextElements;
        if (length < MinimumLength)
        {
            return Localized.Format("The password must have at least {0} characters (it has {1}). A few words with spaces make a good one.", MinimumLength, length);
        }

        if (length > MaximumLength)
        {
            return Localized.Format("The password may have at most {0} characters.", MaximumLength);
        }

        if (Common.Value.Contains(password.ToLowerInvariant()))
        {
            return Localized.Text("This password is on the list of commonly used passwords; choose another one.");
        }

        // A common password with digits or symbols added before or after it ("password1234", "!qwerty2026") is as easy to guess.
        var core = password.Trim().Trim(NotLetters).ToLowerInvariant();
        if (core.Length >= 4 && core.Length < password.Trim().Length && Common.Value.Contains(core))
        {
            return Localized.Text("This password is a commonly used one with digits or symbols added; choose another one.");
        }

        if (password.Distinct().Count() < 4)
        {
            return Localized.Text("The password repeats too few different characters; a few words make a good one.");
        }

        if (personal.Any(p => !string.IsNullOrWhiteSpace(p) && string.Equals(p.Trim(), password.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return Localized.Text("The password may not be your e-mail address or your name.");
        }

        return null;
    }

    /// <summary>Digits, punctuation and symbols of the keyboard: what people add around a word to pass a rule.</summary>
    private static readonly char[] NotLetters = [.. "0123456789!@#$%^&*()-_=+[]{};:'\",.<>/?\\|`~ "];

    private static FrozenSet<string> LoadCommon()
    {
        using var stream = typeof(PasswordRule).Assembly.GetManifestResourceStream("TIBS.Cases.Core.Accounts.Administration.common-passwords.txt")
            ?? throw new InvalidOperationException("The list of common passwords is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith("# ", StringComparison.Ordinal))
            {
                set.Add(line.ToLowerInvariant());
            }
        }

        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
