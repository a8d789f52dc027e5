// GCC 13 added this empty hook; libLibTorchSharp.so references it, older libstdc++ (Debian 12) lacks it.
namespace std { void ios_base_library_init() {} }
