#!/usr/bin/env bash
# What the generator and analyzer add to a real `dotnet build`: a throwaway project of N objectives
# (default 200; the sources of GeneratorBenchmarks, 10 per file) is built three ways, clean
# (--no-incremental) each time, in turn, RUNS times each (default 5):
#   with:         OptimDsl.Generators.dll as an analyzer (generator + OPTDSL analyzer run, and the
#                 generated code is compiled);
#   without:      no analyzer (the objectives compile as plain methods: nothing generated);
#   pregenerated: no analyzer, the files the generator wrote added as ordinary sources (the cost of
#                 compiling the generated code, without running the generator).
# Prints every wall-clock time and the medians, then the compiler's own generator/analyzer timing
# (-p:ReportAnalyzer=true) for one build.
#   bash tests/OptimDsl.Benchmarks/measure-build-cost.sh [N] [RUNS] [WORK_DIR]
# Both projects reference the same copies of OptimDsl.dll and OptimDsl.Generators.dll (built here
# in Release), so only the analyzer reference differs. Set USE_SHARED_COMPILATION=true to build
# through the compiler server (VBCSCompiler), as a developer machine does by default.
set -euo pipefail

N=${1:-200}
RUNS=${2:-5}
WORK=${3:-/tmp/optimdsl-build-cost}
SHARED=${USE_SHARED_COMPILATION:-false}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

rm -rf "$WORK"
mkdir -p "$WORK/lib" "$WORK/src"
dotnet build "$REPO/tests/OptimDsl.Benchmarks" -c Release -v:q -nologo >/dev/null
BIN="$REPO/tests/OptimDsl.Benchmarks/bin/Release/net10.0"
cp "$BIN/OptimDsl.dll" "$BIN/OptimDsl.Generators.dll" "$WORK/lib/"
dotnet "$BIN/OptimDsl.Benchmarks.dll" --write-objectives "$WORK/src" "$N"

# Outside the repository: no Directory.Build.props or central package management reaches it.
echo '<Project />' > "$WORK/Directory.Build.props"
echo '<Project />' > "$WORK/Directory.Build.targets"
for variant in with without pregenerated; do
    mkdir -p "$WORK/$variant"
    analyzer=""
    if [ "$variant" = with ]; then
        analyzer='<Analyzer Include="../lib/OptimDsl.Generators.dll" />'
    fi
    if [ "$variant" = pregenerated ]; then
        mkdir -p "$WORK/pregenerated/gen"   # inside the project folder: compiled as default items
        find "$WORK/with/obj" -path '*OptimDsl.Generators*' -name '*.g.cs' -exec cp {} "$WORK/pregenerated/gen/" \;
    fi
    cat > "$WORK/$variant/Objectives.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <UseSharedCompilation>$SHARED</UseSharedCompilation>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
  </PropertyGroup>
  <ItemGroup>
    <Compile Include="../src/*.cs" />
    <Reference Include="../lib/OptimDsl.dll" />
    $analyzer
  </ItemGroup>
</Project>
PROJECT
    dotnet restore "$WORK/$variant" -v:q -nologo >/dev/null
    dotnet build "$WORK/$variant" -c Release --no-restore -v:q -nologo >/dev/null   # warm-up (disk cache, SDK)
done

declare -A times
for ((run = 1; run <= RUNS; run++)); do
    for variant in with without pregenerated; do
        start=$EPOCHREALTIME
        dotnet build "$WORK/$variant" -c Release --no-restore --no-incremental -v:q -nologo >/dev/null
        end=$EPOCHREALTIME
        t=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
        times[$variant]+="$t "
        echo "run $run $variant: $t s"
    done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
with=$(echo "${times[with]}" | median)
without=$(echo "${times[without]}" | median)
pregenerated=$(echo "${times[pregenerated]}" | median)
echo "objectives: $N, runs: $RUNS, UseSharedCompilation: $SHARED"
echo "generated C#: $(cat "$WORK"/pregenerated/gen/*.cs | wc -c) characters in $(ls "$WORK"/pregenerated/gen | wc -l) files; user sources: $(cat "$WORK"/src/*.cs | wc -c) characters"
echo "median with generator:          $with s"
echo "median without generator:       $without s"
echo "median pregenerated, no generator: $pregenerated s"
awk -v a="$with" -v b="$without" 'BEGIN { printf "generator adds:                 %.2f s (%.0f%%)\n", a - b, 100 * (a - b) / b }'


echo
echo "The compiler's own timing of one build with the generator (-p:ReportAnalyzer=true):"
dotnet build "$WORK/with" -c Release --no-restore --no-incremental -nologo -v:d -p:ReportAnalyzer=true 2>&1 \
    | grep -E "Total (analyzer|generator) execution time|^ *[0-9.]+ +[0-9]+ +OptimDsl" | sed "s/^ *//" | head -n 12
