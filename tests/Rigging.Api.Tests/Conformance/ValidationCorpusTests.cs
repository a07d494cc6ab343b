using FluentAssertions;
using Rigging.Api.Diagnostics;
using Rigging.Api.Validation;

namespace Rigging.Api.Tests.Conformance;

/// <summary>
/// Istio's CRD validation corpus: every document of a <c>*-valid.yaml</c> passes; every document of an
/// <c>*-invalid.yaml</c> is rejected with a message that contains the text Istio gives (its <c>_err</c>).
/// </summary>
public sealed class ValidationCorpusTests
{
    public static TheoryData<string, int> Valid() => Cases("-valid.yaml");

    public static TheoryData<string, int> Invalid() => Cases("-invalid.yaml");

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_document_has_no_error(string file, int index)
    {
        var corpusCase = Load(file, index);
        var result = ConfigValidator.ValidateText(corpusCase.ToString(), corpusCase.Text);

        result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.ToString()).Should().BeEmpty();
        result.Resources.Should().ContainSingle();
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_document_is_rejected_naming_the_field(string file, int index)
    {
        var corpusCase = Load(file, index);
        corpusCase.ExpectedError.Should().NotBeNullOrEmpty("every invalid case names its error");

        var result = ConfigValidator.ValidateText(corpusCase.ToString(), corpusCase.Text);

        var errors = result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Message).ToList();
        errors.Should().Contain(m => m.Contains(corpusCase.ExpectedError!, StringComparison.Ordinal),
            "Istio rejects it with \"{0}\"", corpusCase.ExpectedError);
    }

    private static CorpusCase Load(string file, int index) =>
        CorpusCase.Read(RepositoryPaths.Istio(Path.Combine("validation", file))).Single(c => c.Index == index);

    private static TheoryData<string, int> Cases(string suffix)
    {
        var data = new TheoryData<string, int>();
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Istio("validation"), "*" + suffix).Order(StringComparer.Ordinal))
        {
            foreach (var corpusCase in CorpusCase.Read(file)) data.Add(corpusCase.File, corpusCase.Index);
        }
        return data;
    }
}
