// SPDX-License-Identifier: BSD-3-Clause
// Topic modelling of a sparse document–term matrix, as scikit-learn's "Topic extraction with NMF" example, on a corpus
// generated here from planted topics so that the answer is known:
//   1. 3000 documents over a 2400-word vocabulary: 8 topics of 200 words each plus 800 common words, Zipf-like frequencies
//      within each group; every document mixes a main topic, sometimes a second one, and common words.
//   2. TF-IDF weighting (scikit-learn's TfidfTransformer defaults: smooth idf, rows scaled to unit length), kept sparse.
//   3. NMF with the Kullback–Leibler loss (multiplicative updates, NNDSVDa) and K = 8 on the SparseMatrix: prints the top
//      words of each topic and how many planted topics were recovered (a topic whose top 10 words are at least 8 of one
//      planted topic's words), and plots the topic–word matrix.
//   4. A Lasso on the same sparse features predicting a planted document score (a weighted sum of 20 "signal" words plus
//      noise): held-out R² and how many signal words it selects.
// Writes out/topic_word_matrix.png and exits with 1 unless every planted topic is recovered and the held-out R² ≥ 0.8.
using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using ScottPlot;
using SparseModeling.Decomposition;
using SparseModeling.LinearModel;

const int Topics = 8, WordsPerTopic = 200, CommonWords = 800, Documents = 3000;
string[] topicNames = ["sport", "money", "space", "music", "food", "health", "law", "code"];
int vocabulary = (Topics * WordsPerTopic) + CommonWords;
var words = new string[vocabulary];
for (int t = 0; t < Topics; t++)
{
    for (int r = 0; r < WordsPerTopic; r++)
    {
        words[(t * WordsPerTopic) + r] = $"{topicNames[t]}{r}";
    }
}

for (int r = 0; r < CommonWords; r++)
{
    words[(Topics * WordsPerTopic) + r] = $"common{r}";
}

string outputFolder = Path.Combine(SampleFolder(), "out");
Directory.CreateDirectory(outputFolder);
var clock = Stopwatch.StartNew();

// 1. The corpus: counts per document, as compressed rows.
var rng = new Random(2024);
var topicCdf = ZipfCdf(WordsPerTopic, 1.1);
var commonCdf = ZipfCdf(CommonWords, 1.0);
var rowPointers = new List<int> { 0 };
var columnIndices = new List<int>();
var counts = new List<double>();
var mainTopic = new int[Documents];
var row = new SortedDictionary<int, double>();
for (int d = 0; d < Documents; d++)
{
    int main = rng.Next(Topics);
    int second = rng.NextDouble() < 0.3 ? (main + 1 + rng.Next(Topics - 1)) % Topics : -1;
    mainTopic[d] = main;
    int length = 60 + rng.Next(140);
    row.Clear();
    for (int w = 0; w < length; w++)
    {
        double u = rng.NextDouble();
        int word = u < 0.35 ? (Topics * WordsPerTopic) + Draw(commonCdf, rng)
            : (u < 0.85 || second < 0 ? main : second) * WordsPerTopic + Draw(topicCdf, rng);
        row[word] = row.GetValueOrDefault(word) + 1.0;
    }

    foreach (var (word, count) in row)
    {
        columnIndices.Add(word);
        counts.Add(count);
    }

    rowPointers.Add(columnIndices.Count);
}

// 2. TF-IDF: idf = ln((1 + n) / (1 + df)) + 1, then each row scaled to unit Euclidean length.
var documentFrequency = new double[vocabulary];
foreach (int word in columnIndices)
{
    documentFrequency[word]++;
}

var tfidf = new double[counts.Count];
for (int d = 0; d < Documents; d++)
{
    double norm = 0.0;
    for (int e = rowPointers[d]; e < rowPointers[d + 1]; e++)
    {
        tfidf[e] = counts[e] * (Math.Log((1.0 + Documents) / (1.0 + documentFrequency[columnIndices[e]])) + 1.0);
        norm += tfidf[e] * tfidf[e];
    }

    for (int e = rowPointers[d]; e < rowPointers[d + 1]; e++)
    {
        tfidf[e] /= Math.Sqrt(norm);
    }
}

var x = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(Documents, vocabulary, tfidf.Length, [.. rowPointers], [.. columnIndices], tfidf);
Console.WriteLine($"1–2. corpus: {Documents} documents × {vocabulary} words, {tfidf.Length} stored entries ({100.0 * tfidf.Length / ((double)Documents * vocabulary):F1}% of the matrix), TF-IDF weighted; {clock.Elapsed.TotalMilliseconds:F0} ms");

// 3. NMF (KL) on the sparse matrix.
clock.Restart();
var nmf = new Nmf { ComponentCount = Topics, Solver = NmfSolver.MultiplicativeUpdate, Loss = NmfLoss.KullbackLeibler, Init = NmfInit.NndsvdA, MaxIterations = 300, AlphaW = 0.00005, AlphaH = 0.00005, L1Ratio = 1.0 };
nmf.Fit(x);
var h = nmf.Components;
Console.WriteLine($"3. NMF (Kullback–Leibler, K = {Topics}) on the SparseMatrix: {nmf.Iterations} iterations, reconstruction error {nmf.ReconstructionError:F4}, {clock.Elapsed.TotalMilliseconds:F0} ms");
var recovered = new HashSet<int>();
var matchedTopic = new int[Topics];
for (int c = 0; c < Topics; c++)
{
    var top = Enumerable.Range(0, vocabulary).OrderByDescending(j => h[c, j]).Take(10).ToArray();
    var planted = top.Where(j => j < Topics * WordsPerTopic).GroupBy(j => j / WordsPerTopic).OrderByDescending(g => g.Count()).FirstOrDefault();
    bool match = planted is not null && planted.Count() >= 8;
    matchedTopic[c] = match ? planted!.Key : Topics + c;
    if (match)
    {
        recovered.Add(planted!.Key);
    }

    Console.WriteLine($"   topic {c}: {string.Join(' ', top.Select(j => words[j]))}{(match ? $"  → planted \"{topicNames[planted!.Key]}\"" : string.Empty)}");
}

Console.WriteLine($"   planted topics recovered: {recovered.Count} of {Topics}");

// The topic–word matrix, learned topics in the order of the planted ones they match, each scaled to its largest weight
// and shown on a square-root scale (the Zipf-like weights fall fast), words in vocabulary order (topic blocks, then common words).
var rowOrder = Enumerable.Range(0, Topics).OrderBy(c => matchedTopic[c]).ToArray();
var scaled = Matrix<double>.Build.Dense(Topics, vocabulary, (r, j) => Math.Sqrt(h[rowOrder[r], j] / h.Row(rowOrder[r]).Maximum()));
var plot = new Plot();
var heatmap = plot.Add.Heatmap(scaled.ToArray());
heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
plot.Add.ColorBar(heatmap);
plot.Axes.InvertY();
plot.Title("NMF (KL) topics of a TF-IDF matrix: √(topic–word weight / the topic's largest)");
plot.XLabel($"word (8 planted blocks of {WordsPerTopic}, then {CommonWords} common words)");
plot.YLabel("learned topic (by match)");
string picture = Path.Combine(outputFolder, "topic_word_matrix.png");
plot.SavePng(picture, 1200, 420);

// 4. Lasso on the same sparse features: y = Σ β_w·x_w over 20 signal words (the 5 most frequent words of 4 topics) + noise.
clock.Restart();
var signal = new Dictionary<int, double>();
for (int t = 0; t < 4; t++)
{
    for (int r = 0; r < 5; r++)
    {
        signal[(t * WordsPerTopic) + r] = (t % 2 == 0 ? 1.0 : -1.0) * (2.0 + r);
    }
}

var trueScore = Vector<double>.Build.Dense(vocabulary, j => signal.GetValueOrDefault(j));
var y = (x * trueScore) + Vector<double>.Build.Dense(Documents, _ => 0.1 * Normal(rng));
int train = 2400;
var xTrain = x.SubMatrix(0, train, 0, vocabulary);
var xTest = x.SubMatrix(train, Documents - train, 0, vocabulary);
var lasso = new Lasso { Alpha = 2e-4 }.Fit(xTrain, y.SubVector(0, train));
var predicted = lasso.Predict(xTest);
var yTest = y.SubVector(train, Documents - train);
double r2 = 1.0 - ((yTest - predicted).DotProduct(yTest - predicted) / (yTest - yTest.Average()).DotProduct(yTest - yTest.Average()));
var selected = Enumerable.Range(0, vocabulary).Where(j => lasso.Coefficients[j] != 0.0).ToArray();
Console.WriteLine($"4. Lasso on the sparse TF-IDF features ({train} training documents): {selected.Length} words selected, {selected.Count(signal.ContainsKey)} of the {signal.Count} signal words among them; held-out R² {r2:F3}; {clock.Elapsed.TotalMilliseconds:F0} ms");
Console.WriteLine($"wrote {picture}");

bool ok = recovered.Count == Topics && r2 >= 0.8;
if (!ok)
{
    Console.WriteLine("FAILED: a planted topic was not recovered or the held-out R² is below 0.8");
}

return ok ? 0 : 1;

static double[] ZipfCdf(int count, double exponent)
{
    var cdf = new double[count];
    double total = 0.0;
    for (int r = 0; r < count; r++)
    {
        total += 1.0 / Math.Pow(r + 1, exponent);
        cdf[r] = total;
    }

    for (int r = 0; r < count; r++)
    {
        cdf[r] /= total;
    }

    return cdf;
}

static int Draw(double[] cdf, Random rng)
{
    int at = Array.BinarySearch(cdf, rng.NextDouble());
    return Math.Min(at < 0 ? ~at : at, cdf.Length - 1);
}

static double Normal(Random rng) => Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());

static string SampleFolder()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "TopicModeling.csproj")))
        {
            return folder.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
