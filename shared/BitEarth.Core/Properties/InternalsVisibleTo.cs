using System.Runtime.CompilerServices;

// Tests check numerical internals (eigen-decomposition) directly rather than only through the hashers built on them,
// and run each scan kernel (scalar, Vector256, Vector512) directly, not only the one this CPU picks.
[assembly: InternalsVisibleTo("BitEarth.Core.Tests")]
