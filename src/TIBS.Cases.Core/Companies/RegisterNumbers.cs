using System.Text.RegularExpressions;
using TIBS.Cases.Core.Localization;

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
        "PL" => Localized.Text("NIP (10 digits, such as 856-734-62-15), KRS (10 digits starting with 0) or REGON (9 or 14 digits); or the VAT number PL + NIP."),
        "LV" => Localized.Text("The unified registration number (11 digits, such as 40003521600) or the VAT number LV + that number."),
        "EE" => Localized.Text("The registry code (8 digits, such as 12345678) or the VAT number EE + 9 digits."),
        "LT" => Localized.Text("The company code (9 digits) or the VAT number LT + 9 or 12 digits."),
        "DE" => Localized.Text("The VAT number DE + 9 digits (such as DE136695976) or the commercial register entry with its court, such as HRB 12345 Hamburg."),
        "FI" => Localized.Text("The business ID (Y-tunnus, such as 2077474-0) or the VAT number FI + 8 digits."),
        "DK" => Localized.Text("The CVR number (8 digits, such as 13585628) or the VAT number DK + that number."),
        "SE" => Localized.Text("The organisation number (10 digits, such as 556036-0793) or the VAT number SE + that number + 01."),
        _ => Localized.Text("The national business-register number or the VAT number in its EU form, such as PL8567346215."),
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
            return Fail(Localized.Format("Enter the number with digits, such as {0}", Hint(country)));
        }

        if (compact.Length > 2 && char.IsAsciiLetter(compact[0]) && char.IsAsciiLetter(compact[1]))
        {
            var prefix = compact[..2];
            var prefixCountry = prefix == "GR" ? "EL" : prefix;
            if (CountryNames.TryGetValue(prefixCountry, out var named) && prefixCountry != country)
            {
                return Fail(Localized.Format("{0} is a VAT number of {1}, but the company is in {2}: enter the company's own number, or correct the country.", compact, named, CompanyRules.CountryName(country)));
            }

            if (prefix == country)
            {
                return Vat(country, compact[2..]);
            }
        }

        if (!compact.All(char.IsAsciiDigit))
        {
            return Fail(Localized.Format("The number may only have digits (and the country prefix {0} of a VAT number). {1}", country, Hint(country)));
        }

        return country switch
        {
            "PL" => Poland(compact),
            "LV" => Latvia(compact, vat: false),
            "EE" => EstoniaRegistry(compact),
            "LT" => LithuaniaCompanyCode(compact),
            "DE" => Fail(Localized.Text("A German company is identified by its VAT number (DE + 9 digits) or its commercial register entry with the court, such as HRB 12345 Hamburg.")),
            "FI" => Finland(compact),
            "DK" => Denmark(compact, vat: false),
            "SE" => Sweden(compact, vat: false),
            _ => Fail(Localized.Format("Numbers of companies in {0} cannot be checked; choose one of the partner countries first.", country)),
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
            return Fail(Localized.Format("A VAT number of {0} is {1} followed by digits only. {2}", CompanyRules.CountryName(country), country, Hint(country)));
        }

        return country switch
        {
            "PL" => digits.Length == 10 ? Nip(digits) : Fail(Localized.Format("A Polish VAT number is PL and the 10-digit NIP; {0} digits were given.", digits.Length)),
            "LV" => Latvia(digits, vat: true),
            "EE" => EstoniaVat(digits),
            "LT" => LithuaniaVat(digits),
            "DE" => GermanyVat(digits),
            "FI" => digits.Length == 8 ? YTunnus(digits) : Fail(Localized.Format("A Finnish VAT number is FI and the 8 digits of the business ID; {0} digits were given.", digits.Length)),
            "DK" => Denmark(digits, vat: true),
            "SE" => digits.Length == 12 && digits.EndsWith("01", StringComparison.Ordinal)
                ? Sweden(digits[..10], vat: true)
                : Fail(Localized.Text("A Swedish VAT number is SE, the 10-digit organisation number and 01 (12 digits).")),
            _ => Fail(Localized.Format("Numbers of companies in {0} cannot be checked; choose one of the partner countries first.", country)),
        };
    }

    private static Outcome Poland(string digits) => digits.Length switch
    {
        10 when digits[0] == '0' => new(digits, null), // KRS: 10 digits with leading zeros, no check digit.
        10 => Nip(digits),
        9 or 14 => Regon(digits),
        _ => Fail(Localized.Format("A Polish number is a NIP or KRS (10 digits) or a REGON (9 or 14 digits); {0} digits were given.", digits.Length)),
    };

    private static Outcome Nip(string digits)
    {
        int[] weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
        var check = Weighted(digits, weights) % 11;
        return check == 10 || check != Digit(digits, 9)
            ? Fail(Localized.Format("The NIP {0} is not valid: its check digit (the last one) does not match. Check the number on the company's documents.", digits))
            : new(digits, null);
    }

    private static Outcome Regon(string digits)
    {
        int[] weights = digits.Length == 9 ? [8, 9, 2, 3, 4, 5, 6, 7] : [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8];
        var check = Weighted(digits, weights) % 11 % 10;
        return check != Digit(digits, digits.Length - 1)
            ? Fail(Localized.Format("The REGON {0} is not valid: its check digit (the last one) does not match.", digits))
            : new(digits, null);
    }

    private static Outcome Latvia(string digits, bool vat)
    {
        if (digits.Length != 11)
        {
            return Fail(vat
                ? Localized.Format("A Latvian VAT number has 11 digits; {0} were given.", digits.Length)
                : Localized.Format("A Latvian registration number has 11 digits; {0} were given.", digits.Length));
        }

        if (digits[0] <= '3')
        {
            return Fail(vat
                ? Localized.Format("{0} looks like a Latvian personal code, not a company's VAT number: a company's number starts with 4 or higher (such as 40003521600).", digits)
                : Localized.Format("{0} looks like a Latvian personal code, not a company's registration number: a company's number starts with 4 or higher (such as 40003521600).", digits));
        }

        int[] weights = [9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1];
        return Weighted(digits, weights) % 11 != 3
            ? Fail(vat
                ? Localized.Format("The Latvian VAT number {0} is not valid: its check digit (the last one) does not match.", digits)
                : Localized.Format("The Latvian registration number {0} is not valid: its check digit (the last one) does not match.", digits))
            : new(digits, null);
    }

    private static Outcome EstoniaRegistry(string digits)
    {
        if (digits.Length == 9)
        {
            return Fail(Localized.Text("A 9-digit Estonian number is a VAT number: write it with its prefix, such as EE100931558, or enter the 8-digit registry code."));
        }

        if (digits.Length != 8)
        {
            return Fail(Localized.Format("An Estonian registry code has 8 digits; {0} were given.", digits.Length));
        }

        if (digits[0] is not ('1' or '7' or '8' or '9'))
        {
            return Fail(Localized.Format("An Estonian registry code starts with 1 (companies), 7 (public bodies), 8 (non-profit associations) or 9 (foundations); {0} starts with {1}.", digits, digits[0]));
        }

        return BalticCheck(digits) != Digit(digits, 7)
            ? Fail(Localized.Format("The Estonian registry code {0} is not valid: its check digit (the last one) does not match.", digits))
            : new(digits, null);
    }

    private static Outcome EstoniaVat(string digits)
    {
        if (digits.Length != 9)
        {
            return Fail(Localized.Format("An Estonian VAT number is EE and 9 digits; {0} digits were given.", digits.Length));
        }

        int[] weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
        return Weighted(digits, weights) % 10 != 0
            ? Fail(Localized.Format("The Estonian VAT number {0} is not valid: its check digit (the last one) does not match.", "EE" + digits))
            : new("EE" + digits, null);
    }

    private static Outcome LithuaniaCompanyCode(string digits)
    {
        if (digits.Length != 9)
        {
            return Fail(Localized.Format("A Lithuanian company code has 9 digits; {0} were given. A VAT number is written with its prefix, such as LT119511515.", digits.Length));
        }

        return BalticCheck(digits) != Digit(digits, 8)
            ? Fail(Localized.Format("The Lithuanian company code {0} is not valid: its check digit (the last one) does not match.", digits))
            : new(digits, null);
    }

    private static Outcome LithuaniaVat(string digits)
    {
        if (digits.Length is not (9 or 12))
        {
            return Fail(Localized.Format("A Lithuanian VAT number is LT and 9 digits (12 for temporarily registered payers); {0} digits were given.", digits.Length));
        }

        if (digits[^2] != '1')
        {
            return Fail(Localized.Format("{0} is not a Lithuanian VAT number: its second-to-last digit is always 1.", "LT" + digits));
        }

        return BalticCheck(digits) != Digit(digits, digits.Length - 1)
            ? Fail(Localized.Format("The Lithuanian VAT number {0} is not valid: its check digit (the last one) does not match.", "LT" + digits))
            : new("LT" + digits, null);
    }

    private static Outcome GermanyVat(string digits)
    {
        if (digits.Length != 9)
        {
            return Fail(Localized.Format("A German VAT number is DE and 9 digits; {0} digits were given.", digits.Length));
        }

        if (digits[0] == '0')
        {
            return Fail(Localized.Format("{0} is not a German VAT number: it never starts with 0 after DE.", "DE" + digits));
        }

        // ISO 7064 MOD 11,10.
        var product = 10;
        for (var i = 0; i < 8; i++)
        {
            var sum = (Digit(digits, i) + product) % 10;
            product = 2 * (sum == 0 ? 10 : sum) % 11;
        }

        return (11 - product) % 10 != Digit(digits, 8)
            ? Fail(Localized.Format("The German VAT number {0} is not valid: its check digit (the last one) does not match.", "DE" + digits))
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
            return Fail(Localized.Text("A German commercial register entry needs its court, such as HRB 12345 Hamburg."));
        }

        var kind = entry.Groups["kind"].Value.ToUpperInvariant() switch { "GNR" => "GnR", var k => k };
        var suffix = entry.Groups["suffix"].Value.ToUpperInvariant();
        var number = entry.Groups["number"].Value.TrimStart('0');
        return new($"{kind} {number}{(suffix.Length > 0 ? " " + suffix : "")} {court.ToUpperInvariant()}", null);
    }

    private static Outcome Finland(string digits) => digits.Length != 8
        ? Fail(Localized.Format("A Finnish business ID (Y-tunnus) has 7 digits, a hyphen and a check digit, such as 2077474-0; {0} digits were given.", digits.Length))
        : YTunnus(digits);

    private static Outcome YTunnus(string digits)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2];
        var rest = Weighted(digits, weights) % 11;
        var check = rest == 0 ? 0 : 11 - rest;
        return rest == 1 || check != Digit(digits, 7)
            ? Fail(Localized.Format("The Finnish business ID {0} is not valid: its check digit (after the hyphen) does not match.", $"{digits[..7]}-{digits[7]}"))
            : new(digits, null);
    }

    private static Outcome Denmark(string digits, bool vat)
    {
        if (digits.Length != 8)
        {
            return Fail(vat
                ? Localized.Format("A Danish VAT number has 8 digits; {0} were given.", digits.Length)
                : Localized.Format("A Danish CVR number has 8 digits; {0} were given.", digits.Length));
        }

        int[] weights = [2, 7, 6, 5, 4, 3, 2, 1];
        return digits[0] == '0' || Weighted(digits, weights) % 11 != 0
            ? Fail(vat
                ? Localized.Format("The Danish VAT number {0} is not valid: its check digit does not match.", digits)
                : Localized.Format("The Danish CVR number {0} is not valid: its check digit does not match.", digits))
            : new(digits, null);
    }

    private static Outcome Sweden(string digits, bool vat)
    {
        if (digits.Length != 10)
        {
            return Fail(Localized.Format("A Swedish organisation number has 10 digits, such as 556036-0793; {0} were given.", digits.Length));
        }

        if (digits[2] < '2')
        {
            return Fail(Localized.Format("{0} looks like a Swedish personal identity number, not an organisation number (whose third digit is 2 or higher).", $"{digits[..6]}-{digits[6..]}"));
        }

        return !Luhn(digits)
            ? Fail(vat
                ? Localized.Format("The Swedish VAT number {0} is not valid: its check digit (the last one) does not match.", $"{digits[..6]}-{digits[6..]}")
                : Localized.Format("The Swedish organisation number {0} is not valid: its check digit (the last one) does not match.", $"{digits[..6]}-{digits[6..]}"))
            : new(digits, null);
    }

    private static Outcome Fail(string problem) => new(null, problem);

    [GeneratedRegex(@"^(?:(?<court>[\p{L} .,-]+?)[, ]+)?(?<kind>HRA|HRB|GnR|GNR|PR|VR)\s*(?<number>\d{1,6})(?:\s*(?<suffix>[A-Za-z]{1,2})(?![\p{L}]))?(?:[, ]+(?<court>[\p{L} .-]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex RegisterEntry();
}
