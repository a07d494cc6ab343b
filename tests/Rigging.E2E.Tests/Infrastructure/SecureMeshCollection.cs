namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>The mTLS scenarios' own small mesh (the CA on); it runs beside the main mesh's collection.</summary>
[CollectionDefinition(Name)]
public sealed class SecureMeshCollection : ICollectionFixture<SecureMeshFixture>
{
    public const string Name = "secure mesh";
}
