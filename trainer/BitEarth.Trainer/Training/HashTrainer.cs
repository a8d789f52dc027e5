using System.Diagnostics;
using System.Globalization;
using BitEarth.Core.Codes;
using BitEarth.Core.Patches;
using BitEarth.Onnx;
using BitEarth.Trainer.Evaluation;
using BitEarth.Trainer.Losses;
using BitEarth.Trainer.Models;
using BitEarth.Trainer.Pretrained;
using TorchSharp;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Training;

/// <summary>
/// Trains one hashing encoder per modality into a shared code space: triplet (or similarity-MSE) terms within each
/// modality and across modalities, plus λ1 quantization and λ2 bit balance. Validation mAP@k is measured before
/// training and after every epoch; the best epoch's weights are returned, or the last epoch's when
/// <see cref="TrainingOptions.ValidationFraction"/> is 0 and every sample trains. Same seed and data, same encoders.
/// </summary>
public sealed class HashTrainer(TrainingOptions options)
{
    public TrainedEncoders Train(IEnumerable<Patch> patches, IReadOnlySet<Modality> modalities, Action<TrainingProgress>? progress = null)
    {
        options.Validate();
        var examples = TrainingExample.From(patches, modalities);
        var rng = new Random(options.Seed);
        var augmentation = new Random(options.Seed + 1);
        var order = examples.OrderBy(_ => rng.Next()).ToList();
        // 2-3 validation samples would pick the "best" epoch by noise: at least 4, or the split is too small to train on.
        int validationCount = options.ValidationFraction == 0 ? 0 : Math.Max(4, (int)Math.Round(order.Count * options.ValidationFraction));
        if (order.Count - validationCount < 2)
            throw new ArgumentException($"Need at least {validationCount + 2} samples with {string.Join("+", modalities)}, got {order.Count}.", nameof(patches));
        var validation = order.Take(validationCount).ToList();
        var training = order.Skip(validationCount).ToList();

        var labels = new LabelSpace(training.SelectMany(e => e.Labels));
        var inputs = modalities.ToDictionary(m => m, m => InputSpec(m, training));
        var trainSet = Tensorise(training, inputs, labels);
        var validationSet = validation.Count > 0 ? Tensorise(validation, inputs, labels) : null;

        random.manual_seed(options.Seed);
        var device = new Device(options.Device ?? (cuda.is_available() ? "cuda" : "cpu"));
        var backbone = options.Preset == EncoderPreset.ResNet && options.PretrainedWeights is { } weights ? PretrainedBackbone.Load(weights) : null;
        var networks = modalities.Order().ToDictionary(m => m, m => { var n = Create(inputs[m], backbone); n.to(device); return n; });
        var groups = networks.Values.SelectMany(n => n.ParameterGroups(options.BackboneLearningRateScale))
            .Select(g => new TorchSharp.Modules.Adam.ParamGroup(g.Parameters, lr: options.LearningRate * g.LearningRateScale, weight_decay: options.WeightDecay))
            .ToList();
        // A frozen backbone gives the same features every epoch: computed once (D4-averaged), only the head trains on them.
        bool cached = networks.Values.All(n => n is FrozenFeatureEncoder);
        if (cached)
        {
            trainSet = Featurise(networks, trainSet, device);
            if (validationSet is not null) validationSet = Featurise(networks, validationSet, device);
            foreach (var (modality, network) in networks) ((FrozenFeatureEncoder)network).Standardise(trainSet.Inputs[modality].to(device));
        }
        using var centres = HashCentres.For(labels.Names.Count, options.Bits, options.Seed);
        var optimizer = optim.Adam(groups, options.LearningRate, weight_decay: options.WeightDecay);

        var clock = Stopwatch.StartNew();
        var history = new List<EpochReport> { new(0, double.NaN, Validate(networks, validationSet, trainSet, cached), clock.Elapsed) };
        Dictionary<Modality, Dictionary<string, Tensor>>? best = null;
        double bestMap = double.NegativeInfinity;
        int batches = training.Count / options.BatchSize + (training.Count % options.BatchSize >= 2 ? 1 : 0);
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            foreach (var network in networks.Values) network.train();
            var permutation = Enumerable.Range(0, training.Count).OrderBy(_ => rng.Next()).Select(i => (long)i).ToArray();
            double lossSum = 0;
            for (int b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                using var index = tensor(permutation.Skip(b * options.BatchSize).Take(options.BatchSize).ToArray());
                var loss = BatchLoss(networks, trainSet, index, device, augmentation, cached, centres);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>();
                progress?.Invoke(new TrainingProgress(epoch, options.Epochs, b + 1, batches, null));
            }
            var report = new EpochReport(epoch, lossSum / batches, Validate(networks, validationSet, trainSet, cached), clock.Elapsed);
            history.Add(report);
            if (report.ValidationMap is { } map && map > bestMap)
            {
                bestMap = map;
                if (best is not null) DisposeSnapshot(best);
                best = Snapshot(networks);
            }
            progress?.Invoke(new TrainingProgress(epoch, options.Epochs, batches, batches, report));
        }
        // without validation the last epoch's weights stay
        foreach (var (modality, network) in networks)
        {
            if (best is not null) network.load_state_dict(best[modality]);
            network.eval();
        }
        if (best is not null) DisposeSnapshot(best);
        DisposeSet(trainSet);
        if (validationSet is not null) DisposeSet(validationSet);
        return new TrainedEncoders(options, networks.ToDictionary(p => p.Key, p => (HashEncoder)p.Value), inputs, history);
    }

    private HashEncoder Create(ModalityEncoder input, PretrainedBackbone? backbone)
    {
        if (options.Preset == EncoderPreset.SmallCnn) return new SmallCnn(input, options.Bits);
        if (backbone is not null && options.TrainableStages == 0) return backbone.CreateFrozen(input, options.Bits, options.FeatureStages);
        var network = backbone is null ? new ResNetEncoder(input.Bands.Count, options.Bits, options.ResNetDepth) : backbone.Create(input, options.Bits);
        network.Freeze(options.TrainableStages);
        return network;
    }

    private ModalityEncoder InputSpec(Modality modality, IReadOnlyList<TrainingExample> training)
    {
        var bands = Bands.For(modality);
        var (mean, std) = BandStatistics.Compute(training.Select(e => e.Views[modality]), bands);
        return new ModalityEncoder(modality, $"model-{modality.ToString().ToLowerInvariant()}.onnx", bands, mean, std, options.EffectiveInputSize);
    }

    private Tensor BatchLoss(Dictionary<Modality, HashEncoder> networks, DataSet set, Tensor index, Device device, Random augmentation, bool cached, Tensor centres)
    {
        var labels = set.Labels.index_select(0, index).to(device);
        var codes = networks.ToDictionary(p => p.Key, p =>
        {
            var input = set.Inputs[p.Key].index_select(0, index).to(device);
            if (cached) return ((FrozenFeatureEncoder)p.Value).Head(input);
            return p.Value.forward(options.Augment ? D4Augmentation.Apply(RandomResizedCrop.Apply(input, augmentation), augmentation) : input);
        });
        double margin = options.MarginFraction * options.Bits;
        Tensor total = zeros(1, device: device).sum();
        foreach (var (anchor, anchorCodes) in codes)
        {
            if (options.Loss == HashLoss.Csq)
            {
                // one centre per class for every modality: the centres are the shared code space, no cross-modal pairs needed
                total += HashLosses.CentralSimilarity(anchorCodes, HashCentres.Targets(labels, centres.to(device)));
            }
            else
            {
                foreach (var (candidate, candidateCodes) in codes)
                {
                    bool sameSet = anchor == candidate;
                    total += options.Loss == HashLoss.Triplet
                        ? HashLosses.Triplet(anchorCodes, labels, candidateCodes, labels, sameSet, margin)
                        : HashLosses.SimilarityMse(anchorCodes, labels, candidateCodes, labels);
                }
            }
            total += options.QuantizationWeight * HashLosses.Quantization(anchorCodes)
                + options.BitBalanceWeight * HashLosses.BitBalance(anchorCodes);
        }
        return total;
    }

    /// <summary>
    /// Mean of validation mAP@k over every query/database modality direction. Validation patches query the archive
    /// the encoder will serve, training and validation patches together (a query never retrieves itself): against the
    /// validation split alone a query has one or two relevant items and the score swung by ±0.1 between epochs.
    /// Null without a validation split.
    /// </summary>
    private double? Validate(Dictionary<Modality, HashEncoder> networks, DataSet? validation, DataSet training, bool cached)
    {
        if (validation is null) return null;
        using var scope = NewDisposeScope();
        var queryCodes = networks.ToDictionary(p => p.Key, p => Codes(p.Value, First(validation.Inputs[p.Key], MaxValidationQueries), cached));
        var archiveCodes = networks.ToDictionary(p => p.Key,
            p => queryCodes[p.Key].Concat(Codes(p.Value, First(training.Inputs[p.Key], MaxValidationArchive), cached)).ToArray());
        var queryLabels = LabelSets(First(validation.Labels, MaxValidationQueries));
        var archiveLabels = queryLabels.Concat(LabelSets(First(training.Labels, MaxValidationArchive))).ToArray();
        var maps = new List<double>();
        foreach (var (query, codes) in queryCodes)
            foreach (var (target, archive) in archiveCodes)
                maps.Add(DirectionalRetrieval.MeanAveragePrecision(codes, queryLabels, archive, archiveLabels, options.MapAtK, excludeSameIndex: query == target));
        return maps.Average();
    }

    /// <summary>Bounds the per-epoch validation on large archives (the splits are already shuffled by the seed).</summary>
    private const int MaxValidationQueries = 1000, MaxValidationArchive = 4000;

    private static Tensor First(Tensor rows, int count) => rows.narrow(0, 0, Math.Min(count, rows.shape[0]));

    private HammingCode[] Codes(HashEncoder network, Tensor inputs, bool cached) =>
        [.. Binarise(cached ? HeadOutputs((FrozenFeatureEncoder)network, inputs) : network.Infer(inputs, options.BatchSize), options.Bits).Select(bits => HammingCode.FromBits(bits))];

    private static float[] HeadOutputs(FrozenFeatureEncoder network, Tensor features)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = network.parameters().First().device;
        return network.Head(features.to(device)).cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>The set with every modality's inputs replaced by their frozen features (host memory, like the inputs).</summary>
    private DataSet Featurise(Dictionary<Modality, HashEncoder> networks, DataSet set, Device device)
    {
        var features = new Dictionary<Modality, Tensor>();
        foreach (var (modality, network) in networks)
        {
            var frozen = (FrozenFeatureEncoder)network;
            var inputs = set.Inputs[modality];
            var rows = new List<Tensor>();
            for (long start = 0; start < inputs.shape[0]; start += options.BatchSize)
                rows.Add(frozen.Features(inputs.narrow(0, start, Math.Min(options.BatchSize, inputs.shape[0] - start)).to(device)).cpu());
            features[modality] = cat(rows, 0);
            foreach (var r in rows) r.Dispose();
            inputs.Dispose();
        }
        return new DataSet(features, set.Labels);
    }

    public static bool[][] Binarise(float[] outputs, int bits) =>
        Enumerable.Range(0, outputs.Length / bits).Select(n => outputs.AsSpan(n * bits, bits).ToArray().Select(v => v > 0.5f).ToArray()).ToArray();

    /// <summary>Each row of a multi-hot label matrix as the set of its label indices (value above 0.5).</summary>
    private static IReadOnlyList<string>[] LabelSets(Tensor matrix)
    {
        var flat = matrix.data<float>().ToArray();
        int cols = (int)matrix.shape[1];
        return [.. Enumerable.Range(0, (int)matrix.shape[0]).Select(r => (IReadOnlyList<string>)[.. Enumerable.Range(0, cols)
            .Where(c => flat[r * cols + c] > 0.5f).Select(c => c.ToString(CultureInfo.InvariantCulture))])];
    }

    /// <summary>The whole split stays in host memory; batches move to the training device as they are used.</summary>
    private sealed record DataSet(Dictionary<Modality, Tensor> Inputs, Tensor Labels);

    private static DataSet Tensorise(List<TrainingExample> examples, Dictionary<Modality, ModalityEncoder> inputs, LabelSpace labels)
    {
        var tensors = new Dictionary<Modality, Tensor>();
        foreach (var (modality, spec) in inputs)
        {
            int size = spec.Bands.Count * spec.InputSize * spec.InputSize;
            var data = new float[examples.Count * size];
            for (int n = 0; n < examples.Count; n++) PatchInput.Prepare(examples[n].Views[modality], spec, data.AsSpan(n * size, size));
            tensors[modality] = tensor(data, [examples.Count, spec.Bands.Count, spec.InputSize, spec.InputSize]);
        }
        var multiHot = examples.SelectMany(e => labels.MultiHot(e.Labels)).ToArray();
        return new DataSet(tensors, tensor(multiHot, [examples.Count, labels.Names.Count]));
    }

    private static Dictionary<Modality, Dictionary<string, Tensor>> Snapshot(Dictionary<Modality, HashEncoder> networks) =>
        networks.ToDictionary(p => p.Key, p => p.Value.state_dict().ToDictionary(s => s.Key, s => s.Value.detach().clone()));

    private static void DisposeSnapshot(Dictionary<Modality, Dictionary<string, Tensor>> snapshot)
    {
        foreach (var state in snapshot.Values) foreach (var t in state.Values) t.Dispose();
    }

    private static void DisposeSet(DataSet set)
    {
        foreach (var t in set.Inputs.Values) t.Dispose();
        set.Labels.Dispose();
    }
}
