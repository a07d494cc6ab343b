using System.Globalization;
using System.Text;

namespace Rigging.Api.Validation;

/// <summary>
/// An immutable path to a field, printed as Kubernetes prints it: <c>spec.http[0].route[1].weight</c>,
/// map entries as <c>spec.portLevelMtls[80]</c>.
/// </summary>
public sealed class FieldPath
{
    private readonly FieldPath? _parent;
    private readonly string _segment;
    private string? _text;

    private FieldPath(FieldPath? parent, string segment)
    {
        _parent = parent;
        _segment = segment;
    }

    public static FieldPath Spec { get; } = Root("spec");

    public static FieldPath Metadata { get; } = Root("metadata");

    public static FieldPath Root(string name) => new(null, name);

    public FieldPath? Parent => _parent;

    public FieldPath Child(string name) => new(this, "." + name);

    public FieldPath Index(int index) => new(this, "[" + index.ToString(CultureInfo.InvariantCulture) + "]");

    public FieldPath Key(string key) => new(this, "[" + key + "]");

    public override string ToString()
    {
        if (_text is not null) return _text;
        if (_parent is null) return _text = _segment;
        var builder = new StringBuilder(_parent.ToString()).Append(_segment);
        return _text = builder.ToString();
    }
}
