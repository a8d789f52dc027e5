using BitEarth.Core.Hashing;

namespace BitEarth.Core.Tests.Hashing;

public class SymmetricEigenTests
{
    [Fact]
    public void Two_by_two_case_by_hand()
    {
        // [[2, 1], [1, 2]] has eigenvalues 3 (vector (1, 1)/sqrt 2) and 1 (vector (1, -1)/sqrt 2).
        var (values, vectors) = SymmetricEigen.Decompose(new double[,] { { 2, 1 }, { 1, 2 } });
        Assert.Equal(3, values[0], 12);
        Assert.Equal(1, values[1], 12);
        Assert.Equal(1 / Math.Sqrt(2), Math.Abs(vectors[0, 0]), 12);
        Assert.Equal(vectors[0, 0], vectors[1, 0], 12);
        Assert.Equal(-vectors[0, 1], vectors[1, 1], 12);
    }

    [Fact]
    public void Random_symmetric_matrix_satisfies_A_v_equals_lambda_v_and_inverse_root_squares_to_inverse()
    {
        var random = new GaussianSampler(9);
        const int n = 30;
        var x = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) x[i, j] = random.Next();
        var a = new double[n, n]; // X X^T + I: symmetric positive definite
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < n; k++) a[i, j] += x[i, k] * x[j, k];
                if (i == j) a[i, j] += 1;
            }
        var (values, vectors) = SymmetricEigen.Decompose(a);
        for (int e = 0; e < n; e++)
        {
            if (e > 0) Assert.True(values[e] <= values[e - 1]);
            for (int i = 0; i < n; i++)
            {
                double av = 0;
                for (int k = 0; k < n; k++) av += a[i, k] * vectors[k, e];
                Assert.Equal(values[e] * vectors[i, e], av, 8);
            }
        }
        var root = SymmetricEigen.InverseSquareRoot(a);
        // root * a * root = I
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++)
                    for (int l = 0; l < n; l++) s += root[i, k] * a[k, l] * root[l, j];
                Assert.Equal(i == j ? 1 : 0, s, 8);
            }
    }
}
