// SPDX-License-Identifier: BSD-3-Clause
using SparseModeling.Benchmarks.Compare;

// The compare mode only (`compare [CASE ...] [--repeat N] ...`), for a NativeAOT build; see the project file.
return args.Length > 0 && args[0] == "compare"
    ? CompareRunner.Run(args[1..])
    : CompareRunner.Run(args);
