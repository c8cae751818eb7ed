namespace LlmRouter.Tests.Policies.Pii;

/// <summary>What each detector takes for personal data, and what it leaves alone: check digits, shapes and boundaries.</summary>
public class PiiDetectorTests
{
    public static TheoryData<string, string, string> Found => new()
    {
        // kind, text, the value found
        { PiiKinds.Email, "Write to alice.muster@example.ch today.", "alice.muster@example.ch" },
        { PiiKinds.Email, "Contact: bob+tax@firma-ag.co.uk.", "bob+tax@firma-ag.co.uk" },
        { PiiKinds.Email, "(ANNA_B@Treuhand.CH)", "ANNA_B@Treuhand.CH" },
        { PiiKinds.Email, "Schreiben Sie an müller@example.ch.", "müller@example.ch" },
        { PiiKinds.Email, "Decomposed: mu\u0308ller@example.ch", "mu\u0308ller@example.ch" },
        { PiiKinds.Email, "Bücher: anna@bücher.ch", "anna@bücher.ch" },
        { PiiKinds.Email, "Mail élodie.françois@société.fr now", "élodie.françois@société.fr" },
        { PiiKinds.Email, "to " + new string('a', 80) + "@example.ch!", new string('a', 80) + "@example.ch" },
        { PiiKinds.Phone, "Call +41 44 668 18 00 tomorrow", "+41 44 668 18 00" },
        { PiiKinds.Phone, "Tel. 0041 44 668 18 00", "0041 44 668 18 00" },
        { PiiKinds.Phone, "Office: 044 668 18 00, Monday to Friday.", "044 668 18 00" },
        { PiiKinds.Phone, "Mobile 079 123 45 67.", "079 123 45 67" },
        { PiiKinds.Phone, "US office +1 (415) 555-2671.", "+1 (415) 555-2671" },
        { PiiKinds.Phone, "London +44 20 7946 0958", "+44 20 7946 0958" },
        { PiiKinds.Phone, "Zurich +41 (0)44 668 18 00", "+41 (0)44 668 18 00" },
        { PiiKinds.Iban, "Pay to CH93 0076 2011 6238 5295 7 by Friday", "CH93 0076 2011 6238 5295 7" },
        { PiiKinds.Iban, "IBAN: CH9300762011623852957.", "CH9300762011623852957" },
        { PiiKinds.Iban, "DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00" },
        { PiiKinds.Iban, "GB82 WEST 1234 5698 7654 32 (sort code inside)", "GB82 WEST 1234 5698 7654 32" },
        { PiiKinds.Card, "Card 4111 1111 1111 1111, exp 12/29", "4111 1111 1111 1111" },
        { PiiKinds.Card, "MC 5555555555554444", "5555555555554444" },
        { PiiKinds.Card, "Amex 3782 822463 10005.", "3782 822463 10005" },
        { PiiKinds.Card, "Visa 4012-8888-8888-1881", "4012-8888-8888-1881" },
        { PiiKinds.Ahv, "AHV-Nr. 756.9217.0769.85", "756.9217.0769.85" },
        { PiiKinds.Ahv, "AVS 756.1234.5678.97;", "756.1234.5678.97" },
        { PiiKinds.Ahv, "7569217076985", "7569217076985" },
        { PiiKinds.Ahv, "756 9217 0769 85", "756 9217 0769 85" },
        { PiiKinds.IpAddress, "Login from 192.168.1.20.", "192.168.1.20" },
        { PiiKinds.IpAddress, "host 10.0.0.1:8080", "10.0.0.1" },
        { PiiKinds.IpAddress, "from 2001:db8::8a2e:370:7334 at noon", "2001:db8::8a2e:370:7334" },
        { PiiKinds.IpAddress, "link-local fe80::1.", "fe80::1" },
        { PiiKinds.IpAddress, "mapped ::ffff:192.0.2.128", "::ffff:192.0.2.128" },
    };

    public static TheoryData<string, string> NotFound => new()
    {
        // kind that must not be found, text
        { PiiKinds.Email, "user@localhost" },
        { PiiKinds.Email, "Follow @llmrouter on the web" },
        { PiiKinds.Email, "a@b.c" },
        { PiiKinds.Email, "name@.example.com" },
        { PiiKinds.Phone, "Total CHF 1 234 567.00" },
        { PiiKinds.Phone, "Due 2026-07-24, paid 12.03.2026" },
        { PiiKinds.Phone, "Reference 0441234567" },
        { PiiKinds.Phone, "Growth +5.5% on 100 000 000" },
        { PiiKinds.Phone, "Incomplete 044 668 18" },
        { PiiKinds.Phone, "Longer 044 668 18 00 12" },
        { PiiKinds.Phone, "ISBN 978-3-16-148410-0" },
        { PiiKinds.Iban, "CH93 0076 2011 6238 5295 8" },
        { PiiKinds.Iban, "DE89 3704 0044 0532 0130 01" },
        { PiiKinds.Iban, "Order AB12 3456 7890 1234 5" },
        { PiiKinds.Card, "4111 1111 1111 1112" },
        { PiiKinds.Card, "1234 5678 9012 3452" },
        { PiiKinds.Card, "Tracking 41111111111111111111111" },
        { PiiKinds.Card, "7 Luhn-valid digits of no network: 7992739871300000" },
        { PiiKinds.Card, "Amount 4111111111111111.50" },
        { PiiKinds.Ahv, "756.9217.0769.84" },
        { PiiKinds.Ahv, "7569217076984" },
        { PiiKinds.Ahv, "756.9217.0769.85.1" },
        { PiiKinds.Ahv, "ID 17569217076985" },
        { PiiKinds.IpAddress, "version 1.2.3.4.5" },
        { PiiKinds.IpAddress, "256.1.1.1 is no address" },
        { PiiKinds.IpAddress, "leading zeros 01.02.03.04" },
        { PiiKinds.IpAddress, "at 12:30:45" },
        { PiiKinds.IpAddress, "std::vector<int> and Foo::Bar" },
        { PiiKinds.IpAddress, "loopback ::1 only" },
        { PiiKinds.IpAddress, "MAC 00:1a:2b:3c:4d:5e" },
        { PiiKinds.IpAddress, "section 1.2.3" },
    };

    [Theory]
    [MemberData(nameof(Found))]
    public void Finds_personal_data(string kind, string text, string value)
    {
        List<PiiMatch> matches = PiiScanner.Scan(text) ?? [];

        PiiMatch match = Assert.Single(matches);
        Assert.Equal(kind, PiiKindInfo.Name(match.Kind));
        Assert.Equal(value, text.Substring(match.Start, match.Length));
    }

    [Theory]
    [MemberData(nameof(NotFound))]
    public void Leaves_alone_what_only_looks_like_personal_data(string kind, string text)
    {
        List<PiiMatch> matches = PiiScanner.Scan(text) ?? [];

        Assert.DoesNotContain(matches, m => PiiKindInfo.Name(m.Kind) == kind);
    }

    [Fact]
    public void Text_without_personal_data_gives_no_list_at_all()
    {
        string text = string.Concat(Enumerable.Repeat("The ledger for Q3 closed on 2026-09-30 at CHF 12 345.60 (version 1.2.3). ", 200));

        Assert.Null(PiiScanner.Scan(text));
    }

    [Fact]
    public void Scanning_text_without_personal_data_allocates_nothing()
    {
        string text = string.Concat(Enumerable.Repeat("The ledger for Q3 closed on 2026-09-30 at CHF 12 345.60 (version 1.2.3); see std::map at 12:30. ", 50));
        for (int i = 0; i < 3; i++)
        {
            PiiScanner.Scan(text);
        }

        const int Scans = 100;
        long before = GC.GetAllocatedBytesForCurrentThread();
        int found = 0;
        for (int i = 0; i < Scans; i++)
        {
            found += PiiScanner.Scan(text)?.Count ?? 0;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Less than one small object per scan: the runtime's own occasional bookkeeping aside, nothing is allocated.
        Assert.Equal(0, found);
        Assert.True(allocated < Scans * 24, $"{allocated} bytes allocated by {Scans} scans");
    }

    [Fact]
    public void An_ibans_digits_are_not_also_a_card_number_or_a_phone_number()
    {
        const string text = "DE89 3704 0044 0532 0130 00";

        Assert.Equal([PiiKinds.Iban], (PiiScanner.Scan(text) ?? []).Select(m => PiiKindInfo.Name(m.Kind)));
    }

    [Fact]
    public void Several_kinds_in_one_text_are_found_in_order()
    {
        const string text = "Alice (alice@example.ch, +41 79 123 45 67) pays from CH93 0076 2011 6238 5295 7 with 4111 1111 1111 1111 from 192.168.1.20; AHV 756.9217.0769.85.";

        Assert.Equal(
            [PiiKinds.Email, PiiKinds.Phone, PiiKinds.Iban, PiiKinds.Card, PiiKinds.IpAddress, PiiKinds.Ahv],
            (PiiScanner.Scan(text) ?? []).Select(m => PiiKindInfo.Name(m.Kind)));
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("79927398713", true)]
    [InlineData("79927398710", false)]
    public void Luhn_check_digit(string digits, bool valid) =>
        Assert.Equal(valid, Luhn.IsValid(digits.Select(c => (byte)(c - '0')).ToArray()));

    [Theory]
    [InlineData("7569217076985", true)]
    [InlineData("7561234567897", true)]
    [InlineData("7561234567890", false)]
    public void Ean13_check_digit(string digits, bool valid) =>
        Assert.Equal(valid, Ean13.IsValid(digits.Select(c => (byte)(c - '0')).ToArray()));
}
