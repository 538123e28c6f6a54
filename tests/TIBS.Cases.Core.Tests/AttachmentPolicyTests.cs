using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Tests;

/// <summary>The attachment rules as Core states them for every door: what is refused, why, and for which file.</summary>
public sealed class AttachmentPolicyTests
{
    private static readonly AttachmentOptions Defaults = new();

    private static UploadedFile File(string name, byte[] content, string? field = null) =>
        new(field, name, content.Length, () => new MemoryStream(content, writable: false));

    [Theory]
    [InlineData("letter.pdf", "%PDF-1.7")]
    [InlineData("C:\\Users\\liga\\notes.TXT", "Met the CEO")]
    [InlineData("budget.xlsx", "PK\u0003\u0004")]
    public void A_file_of_an_allowed_type_whose_content_fits_is_accepted(string name, string content) =>
        Assert.Null(AttachmentPolicy.Problem(File(name, System.Text.Encoding.UTF8.GetBytes(content)), Defaults));

    [Theory]
    [InlineData("../../tool.exe", "MZ", AttachmentProblemKind.WrongType, "tool.exe: .exe files cannot be attached; allowed: .pdf, .docx, .xlsx, .pptx, .odt, .ods, .png, .jpg, .jpeg, .txt, .csv.")]
    [InlineData("README", "text", AttachmentProblemKind.WrongType, "README: files without an extension cannot be attached; allowed: .pdf, .docx, .xlsx, .pptx, .odt, .ods, .png, .jpg, .jpeg, .txt, .csv.")]
    [InlineData("photo.png", "GIF89a", AttachmentProblemKind.WrongType, "photo.png does not look like a .png file.")]
    [InlineData("empty.pdf", "", AttachmentProblemKind.Empty, "empty.pdf is empty.")]
    public void A_file_that_breaks_a_rule_is_refused_with_its_name_and_the_reason(string name, string content, AttachmentProblemKind kind, string message)
    {
        var problem = AttachmentPolicy.Problem(File(name, System.Text.Encoding.UTF8.GetBytes(content)), Defaults);

        Assert.Equal(new AttachmentProblem(AttachmentNames.BaseName(name), message, kind), problem);
    }

    [Fact]
    public void The_size_limit_is_the_configured_one()
    {
        var file = File("plan.pdf", [.. "%PDF"u8, .. new byte[3 * 1024 * 1024]]);

        Assert.Null(AttachmentPolicy.Problem(file, Defaults));
        var problem = AttachmentPolicy.Problem(file, new AttachmentOptions { MaxBytes = 2 * 1024 * 1024 });
        Assert.Equal(AttachmentProblemKind.TooLarge, problem!.Kind);
        Assert.Equal("plan.pdf is 3 MB; files may be at most 2 MB.", problem.Message);
    }

    [Fact]
    public void Every_refused_file_is_named_in_its_own_field_and_the_first_problem_decides_the_kind()
    {
        var files = new[]
        {
            File("agreement.pdf", "%PDF"u8.ToArray(), "signed-agreement"),
            File("scan.jpg", "not a jpeg"u8.ToArray(), "signed-agreement"),
            File("virus.exe", "MZ"u8.ToArray(), "annex"),
        };

        var (first, errors) = AttachmentPolicy.Check(files, Defaults, "file");

        Assert.Equal(AttachmentProblemKind.WrongType, first!.Kind);
        Assert.Equal("scan.jpg", first.FileName);
        Assert.Equal(["signed-agreement", "annex"], errors.Select(e => e.Field));
        Assert.Equal("scan.jpg does not look like a .jpg file.", errors[0].Message);
        Assert.StartsWith("virus.exe: .exe files cannot be attached", errors[1].Message, StringComparison.Ordinal);
    }
}
