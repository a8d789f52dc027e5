using BitEarth.Core.Geo;

namespace BitEarth.Core.Tests.Geo;

public class GeoBoxTests
{
    [Theory]
    [InlineData(0, 0, 10, 10, true)]
    [InlineData(10, 10, 20, 20, true)]    // touching corners count
    [InlineData(10.01, 0, 20, 10, false)]
    [InlineData(0, 10.01, 10, 20, false)]
    [InlineData(170, 0, -170, 10, false)] // crosses the antimeridian, far from [5, 15]
    public void Intersects_a_box_around_5_15(double w, double s, double e, double n, bool expected)
    {
        var box = new GeoBox(5, 5, 10, 10);
        Assert.Equal(expected, box.Intersects(new GeoBox(w, s, e, n)));
        Assert.Equal(expected, new GeoBox(w, s, e, n).Intersects(box));
    }

    [Fact]
    public void A_box_across_the_antimeridian_meets_both_sides()
    {
        var across = new GeoBox(170, -10, -170, 10);
        Assert.True(across.Intersects(new GeoBox(175, 0, 176, 1)));
        Assert.True(across.Intersects(new GeoBox(-176, 0, -175, 1)));
        Assert.False(across.Intersects(new GeoBox(0, 0, 1, 1)));
    }

    [Theory]
    [InlineData(-181, 0, 0, 1)]
    [InlineData(0, -91, 1, 1)]
    [InlineData(0, 5, 1, 4)]
    [InlineData(double.NaN, 0, 1, 1)]
    public void Out_of_range_boxes_have_a_problem(double w, double s, double e, double n) =>
        Assert.NotNull(new GeoBox(w, s, e, n).Problem());
}
