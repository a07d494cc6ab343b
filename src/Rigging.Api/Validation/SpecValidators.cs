using System.Reflection;

namespace Rigging.Api.Validation;

/// <summary>The validator of every kind that has one: each concrete <see cref="ISpecValidator"/> in this assembly.</summary>
internal static class SpecValidators
{
    public static IReadOnlyList<ISpecValidator> All { get; } = typeof(SpecValidators).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ISpecValidator).IsAssignableFrom(t))
        .Select(t => (ISpecValidator)Activator.CreateInstance(t)!)
        .ToList();
}
