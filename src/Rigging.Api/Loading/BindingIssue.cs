using Rigging.Api.Diagnostics;
using Rigging.Api.Model;

namespace Rigging.Api.Loading;

/// <summary>A problem found while reading a resource's fields (wrong type, unknown field, bad enum value).</summary>
internal sealed record BindingIssue(Severity Severity, string Field, SourceSpan At, string Message);
