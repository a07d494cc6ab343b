using FluentAssertions;
using Rigging.Api.Diagnostics;
using Rigging.Api.Validation;

namespace Rigging.Api.Tests.Conformance;

/// <summary>
/// Istio's own samples and end-to-end config corpus must load and validate with no error (warnings, such as for
/// fields Istio no longer has, are allowed).
/// </summary>
public sealed class SampleConfigTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "samples", "config-corpus" })
        {
            foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Istio(folder), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(RepositoryPaths.Istio(""), file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Istio_file_validates_with_no_error(string file)
    {
        var result = ConfigValidator.ValidatePaths([RepositoryPaths.Istio(file)]);

        result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.ToString()).Should().BeEmpty();
        result.Resources.Should().NotBeEmpty();
    }
}
