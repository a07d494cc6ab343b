namespace Rigging.Api.Model;

/// <summary>
/// A configuration kind the loader knows: its API group ("" for the Kubernetes core group), the versions
/// accepted, the kind name, the record its spec binds to (null when the kind has no spec we read) and
/// whether its objects live in a namespace.
/// </summary>
public sealed record KindInfo(string Group, IReadOnlyList<string> Versions, string Kind, Type? SpecType, bool Namespaced = true);
