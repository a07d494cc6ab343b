namespace Rigging.Api.Validation;

/// <summary>The validator of every kind that has one.</summary>
internal static class SpecValidators
{
    public static IReadOnlyList<ISpecValidator> All { get; } =
    [
    ];
}
