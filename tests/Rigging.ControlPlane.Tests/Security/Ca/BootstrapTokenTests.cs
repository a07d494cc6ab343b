using FluentAssertions;
using Rigging.ControlPlane.Security;

namespace Rigging.ControlPlane.Tests.Security.Ca;

public sealed class BootstrapTokenTests : IDisposable
{
    private readonly CaTestFiles _files = new();
    private readonly FakeTime _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Issued_token_names_its_namespace_service_account_and_expiry()
    {
        var tokens = BootstrapTokens.LoadOrCreate(_files.State, _time);
        var (token, _, error) = tokens.Issue("bookinfo", "reviews", TimeSpan.FromHours(2));

        error.Should().BeNull();
        tokens.Check(token, out var claims).Should().Be(TokenCheck.Valid);
        claims!.Namespace.Should().Be("bookinfo");
        claims.ServiceAccount.Should().Be("reviews");
        claims.Expires.Should().Be(_time.GetUtcNow().AddHours(2));
        claims.Id.Should().HaveLength(16);
    }

    [Fact]
    public void Expired_token_is_refused()
    {
        var tokens = BootstrapTokens.LoadOrCreate(_files.State, _time);
        var (token, _, _) = tokens.Issue("default", "a", TimeSpan.FromMinutes(10));
        _time.Advance(TimeSpan.FromMinutes(10));
        tokens.Check(token, out _).Should().Be(TokenCheck.Expired);
    }

    [Fact]
    public void Forged_or_tampered_tokens_are_refused()
    {
        var tokens = BootstrapTokens.LoadOrCreate(_files.State, _time);
        var other = BootstrapTokens.LoadOrCreate(Path.Combine(_files.Root, "other"), _time);
        var (forged, _, _) = other.Issue("default", "a", TimeSpan.FromHours(1));
        tokens.Check(forged, out _).Should().Be(TokenCheck.BadSignature);

        var (token, _, _) = tokens.Issue("default", "a", TimeSpan.FromHours(1));
        var parts = token!.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("\"sa\":\"a\"", "\"sa\":\"b\"");
        var tampered = $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
        tokens.Check(tampered, out var claims).Should().Be(TokenCheck.BadSignature);
        claims.Should().BeNull();
    }

    [Theory]
    [InlineData(null, TokenCheck.Missing)]
    [InlineData("", TokenCheck.Missing)]
    [InlineData("Bearer", TokenCheck.Malformed)]
    [InlineData("rig1.!!!.???", TokenCheck.Malformed)]
    [InlineData("rig1.abc", TokenCheck.Malformed)]
    public void Missing_or_malformed_tokens_are_refused(string? token, TokenCheck expected)
    {
        var tokens = BootstrapTokens.LoadOrCreate(_files.State, _time);
        tokens.Check(token, out _).Should().Be(expected);
    }

    [Fact]
    public void Rotating_the_key_file_revokes_earlier_tokens()
    {
        var tokens = BootstrapTokens.LoadOrCreate(_files.State, _time);
        var (token, _, _) = tokens.Issue("default", "a", TimeSpan.FromHours(1));
        File.Delete(Path.Combine(_files.State, BootstrapTokens.KeyFileName));
        BootstrapTokens.LoadOrCreate(_files.State, _time).Check(token, out _).Should().Be(TokenCheck.BadSignature);
        BootstrapTokens.LoadOrCreate(_files.State, _time).Check(token, out _).Should().Be(TokenCheck.BadSignature, "the new key is kept");
    }

    [Theory]
    [InlineData("Default", "a")]
    [InlineData("default", "a/b")]
    [InlineData("", "a")]
    public void Bad_names_are_refused_naming_the_field(string ns, string sa)
    {
        var tokens = BootstrapTokens.LoadOrCreate(_files.State, _time);
        var (token, _, error) = tokens.Issue(ns, sa, TimeSpan.FromHours(1));
        token.Should().BeNull();
        error.Should().MatchRegex("^(namespace|serviceAccount): Invalid value");
    }

    public void Dispose() => _files.Dispose();
}
