using System.Runtime.CompilerServices;

// The demo's pieces (traffic statistics, reply reading, process trees) are tested directly.
[assembly: InternalsVisibleTo("Rigging.Cli.Tests")]
