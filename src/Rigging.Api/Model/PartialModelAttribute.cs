namespace Rigging.Api.Model;

/// <summary>
/// Fields not modelled are ignored silently: only part of this Kubernetes kind is read.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PartialModelAttribute : Attribute;
