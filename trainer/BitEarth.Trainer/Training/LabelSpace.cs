namespace BitEarth.Trainer.Training;

/// <summary>The label names seen in training, in ordinal order; turns a label list into a multi-hot vector.</summary>
public sealed class LabelSpace(IEnumerable<string> labels)
{
    private readonly string[] _names = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    public IReadOnlyList<string> Names => _names;

    public float[] MultiHot(IReadOnlyList<string> labels)
    {
        var vector = new float[_names.Length];
        foreach (var label in labels)
        {
            int i = Array.BinarySearch(_names, label, StringComparer.Ordinal);
            if (i >= 0) vector[i] = 1;
        }
        return vector;
    }
}
