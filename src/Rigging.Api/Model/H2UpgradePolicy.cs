namespace Rigging.Api.Model;

/// <summary>Whether HTTP/1.1 connections to the upstream are upgraded to HTTP/2.</summary>
public enum H2UpgradePolicy
{
    DEFAULT,
    DO_NOT_UPGRADE,
    UPGRADE,
}
