using System.Linq;
using Xunit;

namespace OptimDsl.Tests.Optimizers;

/// <summary>The runtime helper the generated gradient core stores its chunks with.</summary>
public sealed class GradientStoreTests
{
    [Fact]
    public void Store4_and_Store2_write_their_values_in_order_and_nothing_else()
    {
        var buffer = Enumerable.Repeat(-1.0, 9).ToArray();
        GradientStore.Store4(ref buffer[1], 10, 11, 12, 13);
        GradientStore.Store2(ref buffer[6], 20, 21);
        Assert.Equal(new[] { -1.0, 10, 11, 12, 13, -1, 20, 21, -1 }, buffer);
    }
}
