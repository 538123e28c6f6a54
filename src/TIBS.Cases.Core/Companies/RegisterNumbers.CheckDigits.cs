using System.Text;

namespace TIBS.Cases.Core.Companies;

/// <summary>The check-digit arithmetic of <see cref="RegisterNumbers"/> and the compact form numbers are checked in.</summary>
public static partial class RegisterNumbers
{
    /// <summary>The check digit of Estonian and Lithuanian codes: weights 1–9,1 modulo 11, a second pass with 3–9,1–3 when it gives 10.</summary>
    private static int BalticCheck(string digits)
    {
        var body = digits[..^1];
        var check = body.Select((c, i) => (1 + (i % 9)) * (c - '0')).Sum() % 11;
        if (check == 10)
        {
            check = body.Select((c, i) => (1 + ((i + 2) % 9)) * (c - '0')).Sum() % 11;
        }

        return check % 10;
    }

    private static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = Digit(digits, digits.Length - 1 - i);
            if (i % 2 == 1)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    private static int Weighted(string digits, int[] weights)
    {
        var sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i] * Digit(digits, i);
        }

        return sum;
    }

    private static int Digit(string digits, int index) => digits[index] - '0';

    private static string Compact(string value)
    {
        var b = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is ' ' or '-' or '.' or '/' or '\u00A0')
            {
                continue;
            }

            b.Append(char.ToUpperInvariant(c));
        }

        return b.ToString();
    }
}
