namespace Rigging.Api.Networking;

/// <summary>How a patch changes the matched object.</summary>
public enum PatchOperation
{
    INVALID,
    MERGE,
    ADD,
    REMOVE,
    INSERT_BEFORE,
    INSERT_AFTER,
    INSERT_FIRST,
    REPLACE,
    MERGE_AND_REPLACE_LIST,
}
