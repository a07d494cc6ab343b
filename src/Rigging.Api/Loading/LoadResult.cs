using Rigging.Api.Diagnostics;
using Rigging.Api.Model;

namespace Rigging.Api.Loading;

/// <summary>The resources read from some files, and every message about reading them.</summary>
public sealed record LoadResult(IReadOnlyList<Resource> Resources, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}
