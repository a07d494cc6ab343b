using Rigging.Api.Diagnostics;

namespace Rigging.ControlPlane.Config;

/// <summary>
/// The answer of the resources API: an HTTP status, what was done ("VirtualService default/reviews configured"),
/// and the validation messages (file, line, column, resource, field) when the request was refused.
/// </summary>
public sealed record ResourceApiResult(int Status, IReadOnlyList<string> Results, IReadOnlyList<Diagnostic> Messages, string? Error = null)
{
    public bool Succeeded => Status is >= 200 and < 300;
}
