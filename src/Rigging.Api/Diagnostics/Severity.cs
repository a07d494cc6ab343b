namespace Rigging.Api.Diagnostics;

public enum Severity
{
    Error,
    Warning,
    Info,
}
