using System.Runtime.CompilerServices;

// Tests check numerical internals (eigen-decomposition) directly rather than only through the hashers built on them.
[assembly: InternalsVisibleTo("BitEarth.Core.Tests")]
