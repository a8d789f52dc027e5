// Test classes run one after another: trainings seed torch's global generator and draw their initial weights from it,
// as do the export tests, and two classes doing so at once made "the same seed gives the same encoder" fail in CI.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
