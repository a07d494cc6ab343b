using Rigging.Api.Model;

namespace Rigging.Api.Validation;

/// <summary>Base for a validator of one spec type.</summary>
public abstract class SpecValidator<TSpec> : ISpecValidator where TSpec : class
{
    public Type SpecType => typeof(TSpec);

    public void Validate(Resource resource, ValidationContext context)
    {
        if (resource.Spec is TSpec spec) Validate(spec, resource, context);
    }

    protected abstract void Validate(TSpec spec, Resource resource, ValidationContext context);
}
