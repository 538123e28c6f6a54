using System.Text.RegularExpressions;

namespace TIBS.Cases.Core.Companies;

/// <summary>
/// Business-register and VAT numbers of the partner countries: what each country's numbers look like, their check
/// digits where the country publishes one, and the one normalised form a number is stored and compared in. A VAT
/// number whose digits are the national register number (PL, LV, DK, FI, SE) is stored as that register number, so
/// "PL 856-734-62-15" and "8567346215" are the same company; where the VAT number is a different number (EE, LT, DE) it
/// is stored with its country prefix ("EE100931558"). Every problem is a sentence naming the number's kind.
/// </summary>
public static partial class RegisterNumbers
{
    public const int MaxInputLength = 60;

    /// <summary>The normalised number, or the problem in words (exactly one of the two is set).</summary>
    public sealed record Outcome(string? Number, string? Problem);

    /// <summary>What may be entered for a country, for hints next to the field.</summary>
    public static string Hint(string? countryCode) => countryCode?.Trim().ToUpperInvariant() switch
    {
        "PL" => "NIP (10 digits, such as 856-734-62-15), KRS (10 digits starting with 0) or REGON (9 or 14 digits); or the VAT number PL + NIP.",
        "LV" => "The unified registration number (11 digits, such as 40003521600) or the VAT number LV + that number.",
        "EE" => "The registry code (8 digits, such as 12345678) or the VAT number EE + 9 digits.",
        "LT" => "The company code (9 digits) or the VAT number LT + 9 or 12 digits.",
        "DE" => "The VAT number DE + 9 digits (such as DE136695976) or the commercial register entry with its court, such as HRB 12345 Hamburg.",
        "FI" => "The business ID (Y-tunnus, such as 2077474-0) or the VAT number FI + 8 digits.",
        "DK" => "The CVR number (8 digits, such as 13585628) or the VAT number DK + that number.",
        "SE" => "The organisation number (10 digits, such as 556036-0793) or the VAT number SE + that number + 01.",
        _ => "The national business-register number or the VAT number in its EU form, such as PL8567346215.",
    };

    private static readonly Dictionary<string, string> CountryNames = new(StringComparer.Ordinal)
    {
        ["AT"] = "Austria",
        ["BE"] = "Belgium",
        ["BG"] = "Bulgaria",
        ["CY"] = "Cyprus",
        ["CZ"] = "Czechia",
        ["DE"] = "Germany",
        ["DK"] = "Denmark",
        ["EE"] = "Estonia",
        ["EL"] = "Greece",
        ["ES"] = "Spain",
        ["FI"] = "Finland",
        ["FR"] = "France",
        ["HR"] = "Croatia",
        ["HU"] = "Hungary",
        ["IE"] = "Ireland",
        ["IT"] = "Italy",
        ["LT"] = "Lithuania",
        ["LU"] = "Luxembourg",
        ["LV"] = "Latvia",
        ["MT"] = "Malta",
        ["NL"] = "the Netherlands",
        ["PL"] = "Poland",
        ["PT"] = "Portugal",
        ["RO"] = "Romania",
        ["SE"] = "Sweden",
        ["SI"] = "Slovenia",
        ["SK"] = "Slovakia",
        ["XI"] = "Northern Ireland",
    };

    /// <summary>
    /// Checks <paramref name="value"/> as a number of a company in <paramref name="countryCode"/> and gives its normalised
    /// form. Spaces, hyphens, dots and slashes are ignored; letters are upper-cased.
    /// </summary>
    public static Outcome Normalise(string countryCode, string value)
    {
        ArgumentNullException.ThrowIfNull(countryCode);
        ArgumentNullException.ThrowIfNull(value);
        var country = countryCode.Trim().ToUpperInvariant();
        var raw = value.Trim();
        if (country == "DE" && RegisterEntry().Match(raw) is { Success: true } entry)
        {
            return GermanRegisterEntry(entry);
        }

        var compact = Compact(raw);
        if (compact.Length == 0)
        {
            return Fail("Enter the number with digits, such as " + Hint(country));
        }

        if (compact.Length > 2 && char.IsAsciiLetter(compact[0]) && char.IsAsciiLetter(compact[1]))
        {
            var prefix = compact[..2];
            var prefixCountry = prefix == "GR" ? "EL" : prefix;
            if (CountryNames.TryGetValue(prefixCountry, out var named) && prefixCountry != country)
            {
                return Fail($"{compact} is a VAT number of {named}, but the company is in {CompanyRules.CountryName(country)}: enter the company's own number, or correct the country.");
            }

            if (prefix == country)
            {
                return Vat(country, compact[2..]);
            }
        }

        if (!compact.All(char.IsAsciiDigit))
        {
            return Fail($"The number may only have digits (and the country prefix {country} of a VAT number). {Hint(country)}");
        }

        return country switch
        {
            "PL" => Poland(compact),
            "LV" => Latvia(compact, "registration number"),
            "EE" => EstoniaRegistry(compact),
            "LT" => LithuaniaCompanyCode(compact),
            "DE" => Fail("A German company is identified by its VAT number (DE + 9 digits) or its commercial register entry with the court, such as HRB 12345 Hamburg."),
            "FI" => Finland(compact),
            "DK" => Denmark(compact, "CVR number"),
            "SE" => Sweden(compact, "organisation number"),
            _ => Fail($"Numbers of companies in {country} cannot be checked; choose one of the partner countries first."),
        };
    }

    /// <summary>The number as people write it: a German register entry and prefixed VAT numbers as stored, others with their usual separators.</summary>
    public static string Display(string countryCode, string number) => (countryCode, number.Length) switch
    {
        ("FI", 8) when number.All(char.IsAsciiDigit) => $"{number[..7]}-{number[7]}",
        ("SE", 10) when number.All(char.IsAsciiDigit) => $"{number[..6]}-{number[6..]}",
        _ => number,
    };

    private static Outcome Vat(string country, string digits)
    {
        if (!digits.All(char.IsAsciiDigit))
        {
            return Fail($"A VAT number of {CompanyRules.CountryName(country)} is {country} followed by digits only. {Hint(country)}");
        }

        return country switch
        {
            "PL" => digits.Length == 10 ? Nip(digits) : Fail($"A Polish VAT number is PL and the 10-digit NIP; {digits.Length} digits were given."),
            "LV" => Latvia(digits, "VAT number"),
            "EE" => EstoniaVat(digits),
            "LT" => LithuaniaVat(digits),
            "DE" => GermanyVat(digits),
            "FI" => digits.Length == 8 ? YTunnus(digits) : Fail($"A Finnish VAT number is FI and the 8 digits of the business ID; {digits.Length} digits were given."),
            "DK" => Denmark(digits, "VAT number"),
            "SE" => digits.Length == 12 && digits.EndsWith("01", StringComparison.Ordinal)
                ? Sweden(digits[..10], "VAT number")
                : Fail("A Swedish VAT number is SE, the 10-digit organisation number and 01 (12 digits)."),
            _ => Fail($"Numbers of companies in {country} cannot be checked; choose one of the partner countries first."),
        };
    }

    private static Outcome Poland(string digits) => digits.Length switch
    {
        10 when digits[0] == '0' => new(digits, null), // KRS: 10 digits with leading zeros, no check digit.
        10 => Nip(digits),
        9 or 14 => Regon(digits),
        _ => Fail($"A Polish number is a NIP or KRS (10 digits) or a REGON (9 or 14 digits); {digits.Length} digits were given."),
    };

    private static Outcome Nip(string digits)
    {
        int[] weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
        var check = Weighted(digits, weights) % 11;
        return check == 10 || check != Digit(digits, 9)
            ? Fail($"The NIP {digits} is not valid: its check digit (the last one) does not match. Check the number on the company's documents.")
            : new(digits, null);
    }

    private static Outcome Regon(string digits)
    {
        int[] weights = digits.Length == 9 ? [8, 9, 2, 3, 4, 5, 6, 7] : [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8];
        var check = Weighted(digits, weights) % 11 % 10;
        return check != Digit(digits, digits.Length - 1)
            ? Fail($"The REGON {digits} is not valid: its check digit (the last one) does not match.")
            : new(digits, null);
    }

    private static Outcome Latvia(string digits, string what)
    {
        if (digits.Length != 11)
        {
            return Fail($"A Latvian {what} has 11 digits; {digits.Length} were given.");
        }

        if (digits[0] <= '3')
        {
            return Fail($"{digits} looks like a Latvian personal code, not a company's {what}: a company's number starts with 4 or higher (such as 40003521600).");
        }

        int[] weights = [9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1];
        return Weighted(digits, weights) % 11 != 3
            ? Fail($"The Latvian {what} {digits} is not valid: its check digit (the last one) does not match.")
            : new(digits, null);
    }

    private static Outcome EstoniaRegistry(string digits)
    {
        if (digits.Length == 9)
        {
            return Fail("A 9-digit Estonian number is a VAT number: write it with its prefix, such as EE100931558, or enter the 8-digit registry code.");
        }

        if (digits.Length != 8)
        {
            return Fail($"An Estonian registry code has 8 digits; {digits.Length} were given.");
        }

        if (digits[0] is not ('1' or '7' or '8' or '9'))
        {
            return Fail($"An Estonian registry code starts with 1 (companies), 7 (public bodies), 8 (non-profit associations) or 9 (foundations); {digits} starts with {digits[0]}.");
        }

        return BalticCheck(digits) != Digit(digits, 7)
            ? Fail($"The Estonian registry code {digits} is not valid: its check digit (the last one) does not match.")
            : new(digits, null);
    }

    private static Outcome EstoniaVat(string digits)
    {
        if (digits.Length != 9)
        {
            return Fail($"An Estonian VAT number is EE and 9 digits; {digits.Length} digits were given.");
        }

        int[] weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
        return Weighted(digits, weights) % 10 != 0
            ? Fail($"The Estonian VAT number EE{digits} is not valid: its check digit (the last one) does not match.")
            : new("EE" + digits, null);
    }

    private static Outcome LithuaniaCompanyCode(string digits)
    {
        if (digits.Length != 9)
        {
            return Fail($"A Lithuanian company code has 9 digits; {digits.Length} were given. A VAT number is written with its prefix, such as LT119511515.");
        }

        return BalticCheck(digits) != Digit(digits, 8)
            ? Fail($"The Lithuanian company code {digits} is not valid: its check digit (the last one) does not match.")
            : new(digits, null);
    }

    private static Outcome LithuaniaVat(string digits)
    {
        if (digits.Length is not (9 or 12))
        {
            return Fail($"A Lithuanian VAT number is LT and 9 digits (12 for temporarily registered payers); {digits.Length} digits were given.");
        }

        if (digits[^2] != '1')
        {
            return Fail($"LT{digits} is not a Lithuanian VAT number: its second-to-last digit is always 1.");
        }

        return BalticCheck(digits) != Digit(digits, digits.Length - 1)
            ? Fail($"The Lithuanian VAT number LT{digits} is not valid: its check digit (the last one) does not match.")
            : new("LT" + digits, null);
    }

    private static Outcome GermanyVat(string digits)
    {
        if (digits.Length != 9)
        {
            return Fail($"A German VAT number is DE and 9 digits; {digits.Length} digits were given.");
        }

        if (digits[0] == '0')
        {
            return Fail($"DE{digits} is not a German VAT number: it never starts with 0 after DE.");
        }

        // ISO 7064 MOD 11,10.
        var product = 10;
        for (var i = 0; i < 8; i++)
        {
            var sum = (Digit(digits, i) + product) % 10;
            product = 2 * (sum == 0 ? 10 : sum) % 11;
        }

        return (11 - product) % 10 != Digit(digits, 8)
            ? Fail($"The German VAT number DE{digits} is not valid: its check digit (the last one) does not match.")
            : new("DE" + digits, null);
    }

    private static Outcome GermanRegisterEntry(Match entry)
    {
        var court = string.Join(' ', entry.Groups["court"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Trim(',', ' ');
        if (court.StartsWith("Amtsgericht ", StringComparison.OrdinalIgnoreCase))
        {
            court = court["Amtsgericht ".Length..].Trim();
        }

        if (court.Length < 2)
        {
            return Fail("A German commercial register entry needs its court, such as HRB 12345 Hamburg.");
        }

        var kind = entry.Groups["kind"].Value.ToUpperInvariant() switch { "GNR" => "GnR", var k => k };
        var suffix = entry.Groups["suffix"].Value.ToUpperInvariant();
        var number = entry.Groups["number"].Value.TrimStart('0');
        return new($"{kind} {number}{(suffix.Length > 0 ? " " + suffix : "")} {court.ToUpperInvariant()}", null);
    }

    private static Outcome Finland(string digits) => digits.Length != 8
        ? Fail($"A Finnish business ID (Y-tunnus) has 7 digits, a hyphen and a check digit, such as 2077474-0; {digits.Length} digits were given.")
        : YTunnus(digits);

    private static Outcome YTunnus(string digits)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2];
        var rest = Weighted(digits, weights) % 11;
        var check = rest == 0 ? 0 : 11 - rest;
        return rest == 1 || check != Digit(digits, 7)
            ? Fail($"The Finnish business ID {digits[..7]}-{digits[7]} is not valid: its check digit (after the hyphen) does not match.")
            : new(digits, null);
    }

    private static Outcome Denmark(string digits, string what)
    {
        if (digits.Length != 8)
        {
            return Fail($"A Danish {what} has 8 digits; {digits.Length} were given.");
        }

        int[] weights = [2, 7, 6, 5, 4, 3, 2, 1];
        return digits[0] == '0' || Weighted(digits, weights) % 11 != 0
            ? Fail($"The Danish {what} {digits} is not valid: its check digit does not match.")
            : new(digits, null);
    }

    private static Outcome Sweden(string digits, string what)
    {
        if (digits.Length != 10)
        {
            return Fail($"A Swedish organisation number has 10 digits, such as 556036-0793; {digits.Length} were given.");
        }

        if (digits[2] < '2')
        {
            return Fail($"{digits[..6]}-{digits[6..]} looks like a Swedish personal identity number, not an organisation number (whose third digit is 2 or higher).");
        }

        return !Luhn(digits)
            ? Fail($"The Swedish {what} {digits[..6]}-{digits[6..]} is not valid: its check digit (the last one) does not match.")
            : new(digits, null);
    }

    private static Outcome Fail(string problem) => new(null, problem);

    [GeneratedRegex(@"^(?:(?<court>[\p{L} .,-]+?)[, ]+)?(?<kind>HRA|HRB|GnR|GNR|PR|VR)\s*(?<number>\d{1,6})(?:\s*(?<suffix>[A-Za-z]{1,2})(?![\p{L}]))?(?:[, ]+(?<court>[\p{L} .-]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex RegisterEntry();
}
