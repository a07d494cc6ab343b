namespace Rigging.Api.Model;

/// <summary>
/// The field's name in YAML/JSON when it is not simply the camelCase of the property name
/// (for example <c>$schema</c>, names with dots, or a C# keyword).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FieldNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
