using System.Text;
using BitEarth.Core.Hashing;
using Microsoft.Extensions.DependencyInjection;

namespace BitEarth.Core.Tests.Hashing;

public class HasherKindsTests
{
    [Fact]
    public void Dependency_injection_builds_the_built_in_kinds_plus_the_added_ones()
    {
        using var services = new ServiceCollection().AddHasherKind<TestKind>().AddHasherKinds().BuildServiceProvider();
        var kinds = services.GetRequiredService<HasherKinds>();

        Assert.Equal(["ksh", "kulsh", "lsh", "mch", "multi-lsh", TestKind.KindName], kinds.Names);
        Assert.Equal(TestKind.Loaded.Version, kinds.Load(File(TestKind.KindName)).Version);
        Assert.Equal(HasherKinds.BuiltIn.Names, new ServiceCollection().AddHasherKinds().BuildServiceProvider().GetRequiredService<HasherKinds>().Names);
    }

    [Fact]
    public void A_kind_that_is_not_registered_is_refused_naming_it_and_the_registered_ones()
    {
        var refused = Assert.Throws<HasherFormatException>(() => HasherKinds.BuiltIn.Load(File(TestKind.KindName)));
        Assert.Contains($"'{TestKind.KindName}' is not registered", refused.Reason);
        Assert.Contains("lsh, mch, multi-lsh", refused.Reason);
        Assert.Equal(TestKind.Loaded.Version, HasherKinds.BuiltIn.With(new TestKind()).Load(File(TestKind.KindName)).Version);
        Assert.DoesNotContain(TestKind.KindName, HasherKinds.BuiltIn.Names); // With leaves the original as it is
    }

    [Fact]
    public void Two_kinds_of_one_name_are_refused()
    {
        var twice = Assert.Throws<ArgumentException>(() => HasherKinds.BuiltIn.With(new LshHasherKind()));
        Assert.Contains("'lsh'", twice.Message);
    }

    private static MemoryStream File(string kind) => new(Encoding.UTF8.GetBytes($$"""{"kind":"{{kind}}"}"""));

    private sealed class TestKind : IHasherKind
    {
        public const string KindName = "test-fixed";

        public static readonly LshHasher Loaded = LshHasher.Create(8, 1);

        public string Name => KindName;

        public IPatchHasher Load(Stream source) => Loaded;
    }
}
