using Rigging.Api.Model;

namespace Rigging.Api.Loading;

/// <summary>One document of a YAML stream: its root (null when empty) or the syntax error that stopped it.</summary>
internal sealed record YamlDocument(SourceSpan Start, Node? Root, string? SyntaxError, SourceSpan ErrorAt);
