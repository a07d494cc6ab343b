using FluentAssertions;
using Rigging.Api.Diagnostics;
using Rigging.Api.Validation;

namespace Rigging.Api.Tests.Validation;

/// <summary>Validates a YAML text and returns its error messages (or asserts there are none).</summary>
internal static class ValidationAssertions
{
    public static List<string> Errors(string yaml) =>
        ConfigValidator.ValidateText("test.yaml", yaml).Diagnostics
            .Where(d => d.Severity == Severity.Error)
            .Select(d => d.Message)
            .ToList();

    public static void ShouldBeValid(string yaml) => Errors(yaml).Should().BeEmpty();

    public static void ShouldFailWith(string yaml, string expected) =>
        Errors(yaml).Should().Contain(m => m.Contains(expected, StringComparison.Ordinal), "the message should say \"{0}\"", expected);
}
