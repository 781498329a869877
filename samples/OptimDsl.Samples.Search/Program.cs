using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using OptimDsl;
using OptimDsl.Samples.Search;

// Hyperparameter search (README, "Choosing hyperparameters"): Adam's learning rate and β₁ for a
// least-squares fit, scored on held-out data; then the best three trials run again with a LossHistory
// each (README, "Watching a run") and drawn on one chart, search.svg.

// 1. The data: 300 samples to train on and 100 to score with, from two seeds of one generator.
var training = DataSet.Generate(300, seed: 1);
var validation = DataSet.Generate(100, seed: 2);

// 2. Sixteen random points: η log-uniform in [0.001, 1), β₁ one of three. Every trial starts from a copy
// of `start` (w = 0, b = 0) and runs Adam for up to 400 full-batch updates, or until the gradient's norm
// is at most 1e-3; its score is the mean squared error on the validation set at its end.
var start = new Model.LinearAdam(w1: 0, w2: 0, w3: 0, b: 0);
var options = new SearchOptions { Trials = 16, MaxIterations = 400, Tolerance = 1e-3, Seed = 1 };
var search = Model.LinearAdam.Search(
    start,
    training.X1, training.X2, training.X3, training.Y,
    validation.X1, validation.X2, validation.X3, validation.Y,
    new Model.LinearAdam.SearchSpace
    {
        LearningRate = SearchRange.LogUniform(1e-3, 1),
        Beta1 = SearchRange.Grid(0.8, 0.9, 0.99),
    },
    options);

// Ties go to the earlier trial, so the best is the first trial with the best score.
var trials = search.Trials;
int bestTrial = Enumerable.Range(0, trials.Count).First(t => trials[t].Score == search.BestScore);
Console.WriteLine($"Adam on {training.Count} samples, scored on {validation.Count}: {trials.Count} trials of up to {options.MaxIterations} updates (tolerance {options.Tolerance:G})");
Console.WriteLine();
Console.WriteLine("trial         η      β₁   validation MSE   status           updates");
for (int t = 0; t < trials.Count; t++)
{
    var trial = trials[t];
    string mark = t == bestTrial ? "  ◀ best" : "";
    Console.WriteLine($"{t + 1,5}  {trial.Hyperparameters.LearningRate,8:F5}  {trial.Hyperparameters.Beta1,6:F2}   {trial.Score,14:G4}   {trial.Result.Status,-14}   {trial.Result.Iterations,7}{mark}");
}

var best = search.Best;
Console.WriteLine();
Console.WriteLine($"Best: trial {bestTrial + 1}, η = {search.BestHyperparameters.LearningRate:G3}, β₁ = {search.BestHyperparameters.Beta1}: y ≈ {best.W1:F3}·x1{Term(best.W2, "·x2")}{Term(best.W3, "·x3")}{Term(best.B, "")} (true: 2·x1 − 3·x2 + 0.5·x3 + 1)");

// 3. The three best trials again, by hand, each recorded by a LossHistory: the same start, the trial's
// hyperparameters, the same Minimize call the search made, so the same run (checked against its result).
var curves = new List<(string Label, LossHistory History)>();
foreach (int t in Enumerable.Range(0, trials.Count).OrderBy(t => trials[t].Score).ThenBy(t => t).Take(3))
{
    var trial = trials[t];
    var optimizer = start.Clone();
    optimizer.LearningRate = trial.Hyperparameters.LearningRate;
    optimizer.Beta1 = trial.Hyperparameters.Beta1;
    var history = new LossHistory(512);
    var result = optimizer.Minimize(training.X1, training.X2, training.X3, training.Y, options.MaxIterations, options.Tolerance, ref history);
    if (result != trial.Result)
    {
        throw new InvalidOperationException($"Trial {t + 1} ran differently by hand: {result} against {trial.Result}.");
    }

    string label = string.Create(CultureInfo.InvariantCulture, $"trial {t + 1}: η = {trial.Hyperparameters.LearningRate:G2}, β₁ = {trial.Hyperparameters.Beta1} (score {trial.Score:G4})");
    curves.Add((label, history));
    Console.WriteLine($"  re-ran {label}: {result.Iterations} updates, {history.Count} records, the same result as in the search");
}

string path = Path.GetFullPath("search.svg");
using (var writer = File.CreateText(path))
{
    LossHistory.WriteSvg(writer, curves.ToArray());
}

Console.WriteLine($"Wrote the three training-loss curves to {path}");

// " + 0.510·x3" or " − 3.001·x2": a term of the fitted line with its sign.
static string Term(double coefficient, string feature) =>
    string.Create(CultureInfo.InvariantCulture, $"{(coefficient < 0 ? " − " : " + ")}{Math.Abs(coefficient):F3}{feature}");
