using System.Runtime.CompilerServices;

// Tests give the embedded logs' index keys that share a hash, which no real key set of test size produces.
[assembly: InternalsVisibleTo("BitEarth.Storage.Tests")]
