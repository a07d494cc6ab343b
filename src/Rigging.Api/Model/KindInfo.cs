namespace Rigging.Api.Model;

/// <summary>A kind Rigging reads: its API group, served versions, and the record its spec binds to.</summary>
public sealed record KindInfo(string Group, IReadOnlyList<string> Versions, string Kind, Type? SpecType, bool Namespaced = true);
