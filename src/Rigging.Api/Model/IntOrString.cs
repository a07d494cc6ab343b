namespace Rigging.Api.Model;

/// <summary>A Kubernetes IntOrString (a Service's targetPort): a number or a named port.</summary>
public readonly record struct IntOrString(int? Number, string? Name)
{
    public override string ToString() => Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Name ?? "";
}
