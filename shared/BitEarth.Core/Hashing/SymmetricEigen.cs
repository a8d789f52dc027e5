namespace BitEarth.Core.Hashing;

/// <summary>
/// Eigen-decomposition of a small dense symmetric matrix by cyclic Jacobi rotations: exact to rounding, dependency-free
/// and fast enough for the few-hundred-anchor kernel matrices of KLSH and KSH.
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>Eigenvalues in descending order; column k of Vectors is the unit eigenvector of Values[k].</summary>
    public static (double[] Values, double[,] Vectors) Decompose(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        double total = 0;
        foreach (var x in a) total += x * x;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += a[p, q] * a[p, q];
            // Converged when the off-diagonal mass is negligible against the whole (relative 1e-10 in norm).
            if (off <= 1e-20 * total) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                    if (a[p, q] * a[p, q] > 1e-30 * total) Rotate(a, v, p, q);
        }
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i, i];
        var order = Enumerable.Range(0, n).OrderByDescending(i => values[i]).ToArray();
        var sortedVectors = new double[n, n];
        for (int k = 0; k < n; k++)
            for (int i = 0; i < n; i++) sortedVectors[i, k] = v[i, order[k]];
        return (order.Select(i => values[i]).ToArray(), sortedVectors);
    }

    /// <summary>
    /// M^(-1/2) of a symmetric positive semi-definite matrix; directions with eigenvalue below
    /// <paramref name="relativeFloor"/> x the largest are dropped (pseudo-inverse), since kernel matrices are near-singular.
    /// </summary>
    public static double[,] InverseSquareRoot(double[,] matrix, double relativeFloor = 1e-8)
    {
        var (values, vectors) = Decompose(matrix);
        int n = values.Length;
        double floor = Math.Max(values[0], 0) * relativeFloor;
        var result = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            if (values[k] <= floor || values[k] <= 0) continue;
            double s = 1 / Math.Sqrt(values[k]);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) result[i, j] += s * vectors[i, k] * vectors[j, k];
        }
        return result;
    }

    /// <summary>Applies the rotation in the (p, q) plane that zeroes a[p, q]: A = J^T A J, V = V J.</summary>
    private static void Rotate(double[,] a, double[,] v, int p, int q)
    {
        int n = a.GetLength(0);
        double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
        double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        if (theta == 0) t = 1;
        double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; k++)
        {
            double akp = a[k, p], akq = a[k, q];
            a[k, p] = c * akp - s * akq;
            a[k, q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p, k], aqk = a[q, k];
            a[p, k] = c * apk - s * aqk;
            a[q, k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k, p], vkq = v[k, q];
            v[k, p] = c * vkp - s * vkq;
            v[k, q] = s * vkp + c * vkq;
        }
    }
}
