using QRCoder;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>
/// What the enrolment form shows: the QR code of the otpauth URI (a PNG drawn here, as a data URI: no outside
/// service sees the secret), the secret to type by hand, and the problem of the code typed.
/// </summary>
internal sealed record TwoStepEnrolmentForm(string Secret, string Uri, string? CodeError, string? Handler)
{
    public string QrDataUri
    {
        get
        {
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(Uri, QRCodeGenerator.ECCLevel.M);
            return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
        }
    }
}

/// <summary>Recovery codes, shown once after they were made.</summary>
internal sealed record RecoveryCodesView(IReadOnlyList<string> Codes);
