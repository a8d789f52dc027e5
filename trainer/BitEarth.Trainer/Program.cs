using System.CommandLine;
using BitEarth.Trainer.Cli;

var root = new RootCommand("BitEarth trainer: deep hashing encoders for Sentinel-1/Sentinel-2 patches") { TrainCommand.Create(), EvaluateCommand.Create(), FitCommand.Create(), ChangeCommand.Create() };
return root.Parse(args).Invoke();
