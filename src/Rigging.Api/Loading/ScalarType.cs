namespace Rigging.Api.Loading;

internal enum ScalarType
{
    Null,
    Boolean,
    Integer,
    Number,
    String,
}
