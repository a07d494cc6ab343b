using Rigging.Api.Model;

namespace Rigging.Api.Validation;

/// <summary>Checks one kind's spec with Istio's rules, reporting every problem (none stops the rest).</summary>
public interface ISpecValidator
{
    Type SpecType { get; }

    void Validate(Resource resource, ValidationContext context);
}
