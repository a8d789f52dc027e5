using System.CommandLine;
using System.Globalization;
using BitEarth.Core.Change;
using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Core.Synthetic;
using Spectre.Console;

namespace BitEarth.Trainer.Cli;

/// <summary>
/// `change`: query by change on the synthetic dated pairs. For each modality and code length, LSH is fitted on the
/// change places' patches, every pair queries the pairs of the other places, and mAP@k of retrieving the same
/// transition is printed for each <see cref="ChangeMetric"/> beside chance (random rankings).
/// </summary>
public static class ChangeCommand
{
    public static Command Create()
    {
        var places = new Option<int>("--places") { Description = "Change places (a multiple of the 5 transitions keeps them balanced)", DefaultValueFactory = _ => 100 };
        var bits = new Option<int[]>("--bits") { Description = "Code lengths (space- or comma-separated)", DefaultValueFactory = _ => [16, 32, 64], AllowMultipleArgumentsPerToken = true };
        bits.CustomParser = result =>
        {
            var values = new List<int>();
            foreach (var part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && HammingCode.IsValidLength(value)) values.Add(value);
                else result.AddError($"'{part}' is not a code length in bits (a multiple of 8 in 8..256).");
            }
            return values.ToArray();
        };
        var k = new Option<int>("--k") { Description = "Cut-off of mAP", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Seed of the places and of LSH", DefaultValueFactory = _ => 7 };
        var command = new Command("change", "Query by change on the synthetic dated pairs: mAP@k of retrieving the same transition, per metric, beside chance")
        {
            places, bits, k, seed,
        };
        command.SetAction(parse =>
        {
            int placeCount = parse.GetValue(places), cutoff = parse.GetValue(k), seedValue = parse.GetValue(seed);
            if (placeCount < 2 || cutoff < 1)
            {
                AnsiConsole.MarkupLine("[red]--places must be at least 2 and --k at least 1.[/]");
                return 2;
            }
            var patches = SyntheticChanges.Generate(placeCount, seedValue).Select(b => PatchBlobReader.Read(b.Name, b.Content)).ToList();
            var table = new Table().AddColumns(["modality", "bits", "pairs", "chance", .. Enum.GetValues<ChangeMetric>().Select(m => m.ToString())]);
            foreach (var modality in Enum.GetValues<Modality>())
            {
                var ofModality = patches.Where(p => p.Modality == modality).ToList();
                foreach (int length in parse.GetValue(bits)!)
                {
                    var hasher = LshHasher.Fit(ofModality, length, seedValue);
                    var pairs = DatedPairs.From(ofModality.Select(p =>
                        new DatedPatch(p.Id, p.Modality, PlaceKey.Of(p.Footprint), p.AcquiredAt, hasher.Hash(p), p.Labels)));
                    var row = new List<string>
                    {
                        modality.ToString(), length.ToString(CultureInfo.InvariantCulture), pairs.Count.ToString(CultureInfo.InvariantCulture),
                        ChangeEvaluation.Chance(pairs, cutoff, seedValue).ToString("F3", CultureInfo.InvariantCulture),
                    };
                    row.AddRange(Enum.GetValues<ChangeMetric>().Select(m =>
                        ChangeEvaluation.MeanAveragePrecision(pairs, m, cutoff).ToString("F3", CultureInfo.InvariantCulture)));
                    table.AddRow([.. row]);
                }
            }
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"mAP@{cutoff} of the same transition ({SyntheticChanges.Transitions.Count} transitions, {placeCount} places, LSH fitted on them, seed {seedValue}):");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
