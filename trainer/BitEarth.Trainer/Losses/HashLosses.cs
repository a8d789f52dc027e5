using static TorchSharp.torch;

namespace BitEarth.Trainer.Losses;

/// <summary>The loss terms on sigmoid outputs b in [0,1]^B (rows = samples).</summary>
public static class HashLosses
{
    /// <summary>
    /// Triplet loss max(0, |a-p|^2 - |a-n|^2 + margin) averaged over mined triplets; anchors from one set, positives
    /// and negatives from another (inter-modal) or the same one (intra-modal).
    /// </summary>
    public static Tensor Triplet(Tensor anchors, Tensor anchorLabels, Tensor candidates, Tensor candidateLabels, bool sameSet, double margin)
    {
        float[][] distances;
        using (no_grad()) distances = Rows(cdist(anchors, candidates).pow(2));
        var triplets = TripletMining.Mine(Rows(anchorLabels), Rows(candidateLabels), distances, sameSet);
        if (triplets.Count == 0) return zeros(1, device: anchors.device).sum();
        var a = anchors.index_select(0, tensor(triplets.Select(t => (long)t.Anchor).ToArray(), device: anchors.device));
        var p = candidates.index_select(0, tensor(triplets.Select(t => (long)t.Positive).ToArray(), device: anchors.device));
        var n = candidates.index_select(0, tensor(triplets.Select(t => (long)t.Negative).ToArray(), device: anchors.device));
        return Relu((a - p).pow(2).sum(1) - (a - n).pow(2).sum(1) + margin).mean();
    }

    /// <summary>
    /// MSE alternative: cosine similarity of the codes mapped to [-1,1] regressed onto the cosine similarity of the
    /// label vectors, over all anchor/candidate pairs.
    /// </summary>
    public static Tensor SimilarityMse(Tensor anchors, Tensor anchorLabels, Tensor candidates, Tensor candidateLabels)
    {
        var codeSimilarity = Cosine(anchors * 2 - 1, candidates * 2 - 1);
        var labelSimilarity = Cosine(anchorLabels, candidateLabels);
        return (codeSimilarity - labelSimilarity).pow(2).mean();
    }

    /// <summary>
    /// Central similarity: binary cross-entropy of each output bit against its sample's hash centre bit
    /// (<see cref="HashCentres.Targets"/>); samples of a class gather around one code and classes sit (about) bits/2 apart.
    /// </summary>
    public static Tensor CentralSimilarity(Tensor bits, Tensor targets) => nn.functional.binary_cross_entropy(bits, targets);

    /// <summary>Quantization (push) term: mean squared distance of each output to its nearest binary value.</summary>
    public static Tensor Quantization(Tensor bits) => ((bits - 0.5).abs() - 0.5).pow(2).mean();

    /// <summary>Bit balance term: mean over bits of (batch mean of the bit - 0.5)^2, so each bit splits the data.</summary>
    public static Tensor BitBalance(Tensor bits) => (bits.mean([0]) - 0.5).pow(2).mean();

    private static Tensor Cosine(Tensor a, Tensor b) =>
        nn.functional.normalize(a, dim: 1, eps: 1e-8).matmul(nn.functional.normalize(b, dim: 1, eps: 1e-8).t());

    private static Tensor Relu(Tensor x) => nn.functional.relu(x);

    private static float[][] Rows(Tensor matrix)
    {
        var flat = matrix.detach().cpu().contiguous().data<float>().ToArray();
        int rows = (int)matrix.shape[0], cols = (int)matrix.shape[1];
        return Enumerable.Range(0, rows).Select(r => flat.AsSpan(r * cols, cols).ToArray()).ToArray();
    }
}
