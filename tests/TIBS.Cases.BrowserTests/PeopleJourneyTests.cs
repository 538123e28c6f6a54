using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using OtpNet;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// A new broker's way in, in the browser, as the people involved see it: the administrator invites a broker for
/// Lithuania, the invitation e-mail (an <c>.eml</c> file) is opened and its link used, the broker sets a password and
/// two-step sign-in, the coordinator records the broker's training, and the broker opens a case.
/// </summary>
/// <remarks>
/// The journey runs on an application of its own: the product's rule that an uncertified broker may not open cases
/// (the shared fixture allows it, its clock runs years ahead), the real clock (codes from an authenticator app are
/// computed from it), and two-step sign-in required for brokers, so the broker meets the enrolment that has no session
/// before the code confirms it, the same one the product's defaults require of administrators and coordinators.
/// </remarks>
[Collection(BrowserCollection.Name)]
public sealed class PeopleJourneyTests(BrowserFixture fixture)
{
    private const string BrokerName = "Gintarė Jankauskienė";
    private const string BrokerEmail = "gintare.jankauskiene@kaunas-transfer.example";
    private const string BrokerPassword = "Amber-coast-enzymes-2026";

    [SkippableFact]
    public async Task A_broker_invited_for_Lithuania_sets_a_password_and_two_step_sign_in_is_trained_and_opens_a_case()
    {
        fixture.EnsureAvailable();
        await using var app = await BrowserApp.StartAsync(["--Authentication:RequireTwoStepFor=broker"]);
        await using var admin = await ContextAsync(app);
        await using var broker = await ContextAsync(app);
        await using var coordinator = await ContextAsync(app);
        var step = "";
        try
        {
            // 1. The administrator invites the broker: Lithuania's central and western region, chosen by its name.
            step = "01-invite";
            var page = await admin.NewPageAsync();
            await SignInAsync(page, "admin@tibs.example", BrowserFixture.DemoPassword);
            await page.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Invite a user" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Invite a user", Level = 1 })).ToBeVisibleAsync();
            await page.GetByLabel("E-mail address").FillAsync(BrokerEmail);
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync(BrokerName);
            await page.GetByLabel("Organisation").SelectOptionAsync(new SelectOptionValue { Label = "Kaunas University of Technology Transfer Office (Lithuania)" });
            await page.GetByRole(AriaRole.Radio, new() { Name = "Innovation broker", Exact = true }).CheckAsync();
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Central and Western Lithuania" }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
            await SaysAsync(page, $"{BrokerName} is invited: an e-mail with a link to set a password went to {BrokerEmail}.");
            await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = BrokerEmail })).ToContainTextAsync("Invited, no password yet");
            await ShotAsync(page, step);

            // 2. The invitation e-mail, as the pickup folder holds it, read with MimeKit: its link opens in a browser of its own.
            step = "02-set-password";
            var mail = await InvitationAsync(app.MailDirectory);
            Assert.Equal("You are invited to TIBS.Cases", mail.Subject);
            Assert.Contains(BrokerName, mail.To.Mailboxes.Single().Name, StringComparison.Ordinal);
            var body = mail.TextBody ?? "";
            var link = Regex.Match(body, @"https?://\S+/account/set-password\?token=\S+");
            Assert.True(link.Success, "The invitation has no link to set a password:\n" + body);
            Assert.Contains("as Innovation broker", body, StringComparison.Ordinal);
            page = await broker.NewPageAsync();

            // The mail's links start with Mail:BaseUrl (the address users reach); the test's application has a port of its own.
            await page.GotoAsync(new Uri(link.Value).PathAndQuery);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Set your password" })).ToBeVisibleAsync();
            await Expect(page.GetByText($"Welcome, {BrokerName}. Choose a password for {BrokerEmail}.")).ToBeVisibleAsync();
            await page.GetByLabel("New password").FillAsync(BrokerPassword);
            await page.GetByLabel("The same password again").FillAsync(BrokerPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Set the password" }).ClickAsync();
            await SaysAsync(page, "Your password is set: sign in with your e-mail address and the new password.");
            await ShotAsync(page, step);

            // 3. Two-step sign-in: brokers must have it here, so after the password comes the enrolment, then the recovery codes.
            step = "03-two-step";
            await SignInAsync(page, BrokerEmail, BrokerPassword);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Set up two-step sign-in" })).ToBeVisibleAsync();
            await Expect(page.GetByText("Your role requires two-step sign-in")).ToBeVisibleAsync();
            var keyText = await page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "type this key" }).InnerTextAsync();
            var key = Regex.Match(keyText, @"type this key:\s*([A-Z2-7 ]+?)\s*\(time-based");
            Assert.True(key.Success, "The enrolment page does not show the key in text: " + keyText);
            var totp = new Totp(Base32Encoding.ToBytes(key.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal)));
            await page.GetByLabel("Code from the app").FillAsync(totp.ComputeTotp(DateTime.UtcNow));
            await page.GetByRole(AriaRole.Button, new() { Name = "Switch on two-step sign-in" }).ClickAsync();
            await Expect(page.GetByText("Two-step sign-in is on.")).ToBeVisibleAsync();
            var codes = page.GetByRole(AriaRole.Status).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Your recovery codes" }) });
            await Expect(codes.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(10);
            await ShotAsync(page, step);
            await page.GetByRole(AriaRole.Link, new() { Name = "I have kept my recovery codes: continue" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "My work" })).ToBeVisibleAsync();

            // Not trained yet: the new-case form says so before anything is filled in.
            await page.GetByRole(AriaRole.Link, new() { Name = "Cases", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Open a case" }).ClickAsync();
            await WarnsAsync(page, "You are not certified yet, so you cannot open new cases");
            await WarnsAsync(page, "'Joint Smart Strategy method'");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

            // 4. The coordinator records the two trainings certification requires, each with its certificate.
            step = "04-training";
            var coordinatorPage = await coordinator.NewPageAsync();
            await SignInAsync(coordinatorPage, "coordinator@tibs.example", BrowserFixture.DemoPassword);
            await coordinatorPage.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Training" }).ClickAsync();
            await Expect(coordinatorPage.GetByRole(AriaRole.Heading, new() { Name = "Training and certification" })).ToBeVisibleAsync();
            await coordinatorPage.GetByRole(AriaRole.Link, new() { Name = BrokerName }).ClickAsync();
            await Expect(coordinatorPage.GetByRole(AriaRole.Heading, new() { Name = $"Training of {BrokerName}" })).ToBeVisibleAsync();
            await Expect(coordinatorPage.GetByText("Not certified: missing or expired")).ToBeVisibleAsync();
            var completedOn = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            foreach (var module in new[] { "Joint Smart Strategy method", "Data protection for brokers" })
            {
                await coordinatorPage.GetByLabel("Module").SelectOptionAsync(new SelectOptionValue { Label = module });
                await coordinatorPage.GetByLabel("Completed on").FillAsync(completedOn);
                await coordinatorPage.GetByLabel("Trainer").FillAsync("Piotr Nowak");
                await coordinatorPage.GetByLabel("Certificate (PDF or image)").SetInputFilesAsync(new FilePayload
                {
                    Name = $"{module.ToLowerInvariant().Replace(' ', '-')}-certificate.pdf",
                    MimeType = "application/pdf",
                    Buffer = Certificate(module),
                });
                await coordinatorPage.GetByRole(AriaRole.Button, new() { Name = "Record the training" }).ClickAsync();
                await SaysAsync(coordinatorPage, $"'{module}' recorded for {BrokerName}, valid until");
            }

            await Expect(coordinatorPage.GetByText("Certified: every training required for certification is complete and valid.")).ToBeVisibleAsync();
            await ShotAsync(coordinatorPage, step);

            // 5. The broker signs in with the password and a code from the app (a later code: each is accepted once) and opens a case.
            step = "05-open-case";
            await SignInAsync(page, BrokerEmail, BrokerPassword);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step sign-in" })).ToBeVisibleAsync();
            await page.GetByLabel("Code from your authenticator app").FillAsync(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByText($"{BrokerName} · Innovation broker")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Cases", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Open a case" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
            await page.GetByLabel("Lead company").SelectOptionAsync(new SelectOptionValue { Label = "Kaunas BioLab" });
            await page.GetByLabel("Title (optional)").FillAsync("Enzyme scale-up with a Nordic partner");
            await page.GetByRole(AriaRole.Button, new() { Name = "Open the case" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Enzyme scale-up with a Nordic partner");
            await ShotAsync(page, step);

            // 6. The broker notes what the company's contact person said, marked as her personal data; she asks to be
            // erased; an administrator erases her, and the case's timeline shows "erased" instead of her words.
            step = "06-erasure";
            const string Contact = "Eglė Vaitkutė";
            await page.GetByLabel("Add a note").FillAsync($"{Contact} confirmed the enzyme samples for the pilot.");
            await page.GetByRole(AriaRole.Checkbox, new() { Name = $"{Contact} (Kaunas BioLab)" }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
            await Expect(page.Locator("#timeline")).ToContainTextAsync("confirmed the enzyme samples");
            var adminPage = await admin.NewPageAsync();
            await adminPage.GotoAsync("/admin");
            await adminPage.GetByRole(AriaRole.Link, new() { Name = "Personal data" }).ClickAsync();
            await adminPage.GetByLabel("Name or e-mail").FillAsync(Contact);
            await adminPage.GetByRole(AriaRole.Button, new() { Name = "Find contact persons" }).ClickAsync();
            await adminPage.Locator("#contacts").GetByRole(AriaRole.Link, new() { Name = "Erase…" }).ClickAsync();
            await Expect(adminPage.Locator("#will-erase")).ToContainTextAsync("The text of 1 case note");
            await adminPage.GetByLabel("Reason for the erasure").FillAsync("She asked to be erased when her company left the programme.");
            await adminPage.GetByRole(AriaRole.Button, new() { Name = $"Erase {Contact}'s personal data" }).ClickAsync();
            await Expect(adminPage.Locator("#erasure-summary")).ToContainTextAsync("Places erased:");
            await ShotAsync(adminPage, step + "-administrator");
            await page.ReloadAsync();
            await Expect(page.Locator("#timeline")).ToContainTextAsync("Personal data erased");
            await Expect(page.Locator("#timeline")).ToContainTextAsync("Erased on ");
            await Expect(page.Locator("#timeline")).Not.ToContainTextAsync("confirmed the enzyme samples");
            await ShotAsync(page, step);
        }
        catch
        {
            foreach (var (who, context) in new[] { ("administrator", admin), ("broker", broker), ("coordinator", coordinator) })
            {
                foreach (var open in context.Pages)
                {
                    await ShotAsync(open, $"{step}-FAILED-{who}");
                }
            }

            throw;
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    /// <summary>The page confirms <paramref name="text"/> in a status message.</summary>
    private static Task SaysAsync(IPage page, string text) =>
        Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = text })).ToBeVisibleAsync();

    /// <summary>The page warns with <paramref name="text"/> in an alert.</summary>
    private static Task WarnsAsync(IPage page, string text) =>
        Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = text })).ToBeVisibleAsync();

    private async Task<IBrowserContext> ContextAsync(BrowserApp app)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        return context;
    }

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, $"people-{name}.png"), FullPage = true });

    /// <summary>The invitation to the broker among the mails written so far (the file is written before the page answers).</summary>
    private static async Task<MimeMessage> InvitationAsync(string mailDirectory)
    {
        foreach (var file in Directory.EnumerateFiles(mailDirectory, "*.eml"))
        {
            var message = await MimeMessage.LoadAsync(file);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, BrokerEmail, StringComparison.OrdinalIgnoreCase)))
            {
                return message;
            }
        }

        throw new InvalidOperationException($"No mail to {BrokerEmail} in {mailDirectory}.");
    }

    /// <summary>A small, valid one-page PDF naming the module.</summary>
    private static byte[] Certificate(string module)
    {
        var text = $"Certificate: {module}";
        var content = $"BT /F1 18 Tf 72 720 Td ({text}) Tj ET";
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        var pdf = new System.Text.StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return System.Text.Encoding.ASCII.GetBytes(pdf.ToString());
    }
}
