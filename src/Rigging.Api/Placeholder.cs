namespace Rigging.Api;
