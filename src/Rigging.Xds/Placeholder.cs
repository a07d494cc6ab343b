namespace Rigging.Xds;
