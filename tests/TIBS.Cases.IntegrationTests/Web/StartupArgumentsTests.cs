using TIBS.Cases.Web;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>Options given to the program itself are checked: a misplaced or misspelt one is reported, never ignored.</summary>
public sealed class StartupArgumentsTests
{
    [Fact]
    public async Task A_double_dash_given_to_the_built_program_is_reported_with_how_to_pass_the_setting()
    {
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = await Program.Main(["--", "--Demo:Password=Chosen-Password-2026"]);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(2, code);
        Assert.Contains("'--' only separates `dotnet run`'s own options", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("dotnet TIBS.Cases.Web.dll --Demo:Password=", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Demo:Pasword=x")]
    [InlineData("--Databse:Provider=Postgres")]
    [InlineData("--Provider", "Postgres")]
    public void A_misspelt_setting_is_named(params string[] args)
    {
        var problem = StartupArguments.Problem(args);

        Assert.NotNull(problem);
        Assert.Contains($"'{args[0].Split('=')[0]}' is not a setting of TIBS.Cases", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_setting_of_a_known_section_lists_the_sections_settings()
    {
        var problem = StartupArguments.Problem(["--Demo:Pasword=x"])!;

        Assert.Contains("Demo:Password", problem, StringComparison.Ordinal);
        Assert.Contains("Demo:Enabled", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stray_word_is_not_taken_for_a_command()
    {
        Assert.Contains("'serve' is not a command or a setting", StartupArguments.Problem(["serve"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Demo:Password=x", "--urls", "http://127.0.0.1:0", "--environment=Testing")]
    [InlineData("--Database:Provider", "Postgres", "--Logging:LogLevel:Default=Debug", "--Jobs:ClaimLease=00:00:20")]
    [InlineData("/Mail:Host=mail", "--DataProtection:KeyFile=/keys/dp.key", "--Audit:SigningKeyFile=/keys/audit.pem")]
    [InlineData]
    public void Settings_of_the_application_and_the_host_are_accepted(params string[] args)
    {
        Assert.Null(StartupArguments.Problem(args));
    }
}
