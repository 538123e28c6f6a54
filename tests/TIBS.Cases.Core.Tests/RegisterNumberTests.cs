using TIBS.Cases.Core.Companies;

namespace TIBS.Cases.Core.Tests;

/// <summary>Business-register and VAT numbers per partner country: what is accepted, how it is stored, and why a number is refused.</summary>
public sealed class RegisterNumberTests
{
    [Theory]
    [InlineData("PL", "856-734-62-15", "8567346215")] // NIP with the hyphens of Polish documents
    [InlineData("PL", "PL 8567346215", "8567346215")] // the EU VAT form is the NIP with PL before it
    [InlineData("PL", "0000123456", "0000123456")] // KRS: 10 digits with leading zeros, no check digit
    [InlineData("PL", "192598184", "192598184")] // REGON, 9 digits
    [InlineData("PL", "12345678512347", "12345678512347")] // REGON, 14 digits
    [InlineData("LV", "40003521600", "40003521600")]
    [InlineData("LV", "LV40003521600", "40003521600")]
    [InlineData("EE", "12345678", "12345678")] // registry code of a company
    [InlineData("EE", "EE100931558", "EE100931558")] // VAT number: a different number, kept with its prefix
    [InlineData("LT", "300010086", "300010086")] // company code
    [InlineData("LT", "LT119511515", "LT119511515")]
    [InlineData("LT", "LT 100001919017", "LT100001919017")]
    [InlineData("DE", "DE136695976", "DE136695976")]
    [InlineData("DE", "HRB 12345 Hamburg", "HRB 12345 HAMBURG")]
    [InlineData("DE", "Amtsgericht Hamburg HRB 012345", "HRB 12345 HAMBURG")]
    [InlineData("FI", "2077474-0", "20774740")]
    [InlineData("FI", "FI20774740", "20774740")]
    [InlineData("DK", "13 58 56 28", "13585628")]
    [InlineData("DK", "DK13585628", "13585628")]
    [InlineData("SE", "556036-0793", "5560360793")]
    [InlineData("SE", "SE556036079301", "5560360793")]
    public void A_valid_number_is_stored_in_one_normalised_form(string country, string typed, string stored)
    {
        var outcome = RegisterNumbers.Normalise(country, typed);

        Assert.Null(outcome.Problem);
        Assert.Equal(stored, outcome.Number);
    }

    [Theory]
    [InlineData("PL", "8567346216", "The NIP 8567346216 is not valid: its check digit (the last one) does not match. Check the number on the company's documents.")]
    [InlineData("PL", "12345", "A Polish number is a NIP or KRS (10 digits) or a REGON (9 or 14 digits); 5 digits were given.")]
    [InlineData("PL", "192598185", "The REGON 192598185 is not valid: its check digit (the last one) does not match.")]
    [InlineData("PL", "LV40003521600", "LV40003521600 is a VAT number of Latvia, but the company is in Poland: enter the company's own number, or correct the country.")]
    [InlineData("LV", "40003521601", "The Latvian registration number 40003521601 is not valid: its check digit (the last one) does not match.")]
    [InlineData("LV", "16117519997", "16117519997 looks like a Latvian personal code, not a company's registration number: a company's number starts with 4 or higher (such as 40003521600).")]
    [InlineData("EE", "12345679", "The Estonian registry code 12345679 is not valid: its check digit (the last one) does not match.")]
    [InlineData("EE", "32345674", "An Estonian registry code starts with 1 (companies), 7 (public bodies), 8 (non-profit associations) or 9 (foundations); 32345674 starts with 3.")]
    [InlineData("EE", "EE100931559", "The Estonian VAT number EE100931559 is not valid: its check digit (the last one) does not match.")]
    [InlineData("LT", "300010087", "The Lithuanian company code 300010087 is not valid: its check digit (the last one) does not match.")]
    [InlineData("LT", "LT119511525", "LT119511525 is not a Lithuanian VAT number: its second-to-last digit is always 1.")]
    [InlineData("DE", "DE136695977", "The German VAT number DE136695977 is not valid: its check digit (the last one) does not match.")]
    [InlineData("DE", "12345", "A German company is identified by its VAT number (DE + 9 digits) or its commercial register entry with the court, such as HRB 12345 Hamburg.")]
    [InlineData("DE", "HRB 12345", "A German commercial register entry needs its court, such as HRB 12345 Hamburg.")]
    [InlineData("FI", "2077474-1", "The Finnish business ID 2077474-1 is not valid: its check digit (after the hyphen) does not match.")]
    [InlineData("DK", "13585627", "The Danish CVR number 13585627 is not valid: its check digit does not match.")]
    [InlineData("SE", "5560360794", "The Swedish organisation number 556036-0794 is not valid: its check digit (the last one) does not match.")]
    [InlineData("SE", "8112189876", "811218-9876 looks like a Swedish personal identity number, not an organisation number (whose third digit is 2 or higher).")]
    [InlineData("SE", "SE556036079302", "A Swedish VAT number is SE, the 10-digit organisation number and 01 (12 digits).")]
    [InlineData("LV", "4000352160O", "The number may only have digits (and the country prefix LV of a VAT number). The unified registration number (11 digits, such as 40003521600) or the VAT number LV + that number.")]
    public void A_wrong_number_is_refused_with_the_reason_in_words(string country, string typed, string problem)
    {
        var outcome = RegisterNumbers.Normalise(country, typed);

        Assert.Null(outcome.Number);
        Assert.Equal(problem, outcome.Problem);
    }

    [Fact]
    public void The_examples_given_as_hints_are_valid_numbers()
    {
        Assert.All(
            [("PL", "856-734-62-15"), ("LV", "40003521600"), ("EE", "12345678"), ("DE", "DE136695976"), ("FI", "2077474-0"), ("DK", "13585628"), ("SE", "556036-0793")],
            e => Assert.Contains(e.Item2, RegisterNumbers.Hint(e.Item1), StringComparison.Ordinal));
        Assert.All(
            [("PL", "856-734-62-15"), ("LV", "40003521600"), ("EE", "12345678"), ("DE", "DE136695976"), ("FI", "2077474-0"), ("DK", "13585628"), ("SE", "556036-0793")],
            e => Assert.Null(RegisterNumbers.Normalise(e.Item1, e.Item2).Problem));
    }

    [Fact]
    public void Stored_numbers_are_shown_with_their_usual_separators()
    {
        Assert.Equal("2077474-0", RegisterNumbers.Display("FI", "20774740"));
        Assert.Equal("556036-0793", RegisterNumbers.Display("SE", "5560360793"));
        Assert.Equal("EE100931558", RegisterNumbers.Display("EE", "EE100931558"));
    }

    [Theory]
    [InlineData("SIA Gaujas Kokapstrāde", "Gaujas kokapstrade", true)] // legal form, case and accents
    [InlineData("Podlasie Dairy Tech", "Podlasie Dairy Tech Sp. z o.o.", true)]
    [InlineData("Podlasie Dairy", "Podlasie Dairy Technologies", true)] // words added at the end
    [InlineData("Valmiera Glass Fibre", "Valmiera Glas Fibre", true)] // one typing mistake
    [InlineData("Kaunas BioLab", "Kaunas BioLabs", true)]
    [InlineData("Kaunas BioLab", "Vilnius BioLab", false)]
    [InlineData("Alfa", "Alba", false)] // short names need to be equal
    [InlineData("Hamburg Maritime Analytics", "Hamburg Maritime Logistics", false)]
    public void Close_names_are_recognised_after_normalising(string a, string b, bool close)
    {
        Assert.Equal(close, CompanyDuplicates.IsCloseName(Core.Companies.Import.ImportColumns.NormalizedName(a), Core.Companies.Import.ImportColumns.NormalizedName(b)));
    }
}
