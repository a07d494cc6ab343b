namespace Rigging.Api.Telemetry;

/// <summary>What a tag override does.</summary>
public enum TagOverrideOperation
{
    UPSERT,
    REMOVE,
}
