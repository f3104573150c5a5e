// SPDX-License-Identifier: BSD-3-Clause
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SparseModeling.Benchmarks.Shared;

/// <summary>
/// A summary column of work per second: <c>amountPerOperation(case)</c> (bytes moved, flops, ...)
/// divided by the mean time of one operation, in units of 10⁹ per second.
/// </summary>
internal sealed class ThroughputColumn(string columnName, string legend, Func<BenchmarkCase, double?> amountPerOperation) : IColumn
{
    public string Id => $"{nameof(ThroughputColumn)}.{ColumnName}";

    public string ColumnName { get; } = columnName;

    public string Legend { get; } = legend;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        double? amount = amountPerOperation(benchmarkCase);
        return meanNanoseconds is > 0 && amount is { } a
            ? (a / meanNanoseconds.Value).ToString("F2", CultureInfo.InvariantCulture)
            : "NA";
    }

    /// <summary>The value of the benchmark parameter <paramref name="name"/> as a double.</summary>
    public static double Parameter(BenchmarkCase benchmarkCase, string name) =>
        Convert.ToDouble(benchmarkCase.Parameters[name], CultureInfo.InvariantCulture);
}
