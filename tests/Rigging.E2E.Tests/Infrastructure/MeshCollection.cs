namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>The scenarios share one mesh and run one after another (they edit the same config directory).</summary>
[CollectionDefinition(Name)]
public sealed class MeshCollection : ICollectionFixture<MeshFixture>
{
    public const string Name = "mesh";
}
