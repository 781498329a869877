#!/usr/bin/env bash
# Build time of vector objectives (issue 11): four tiny console projects outside the repository, each
# with OptimDsl.Generators.dll as an analyzer (the compiler loads it as the benchmark project's
# OutputItemType="Analyzer" reference does; here from a copy of the built DLL, so that a clean build
# does not rebuild the generator), built clean (--no-incremental) RUNS times each in turn (default 3):
#   empty:         Main only, no objective (the baseline subtracted from the others);
#   logistic:      the 100-feature logistic regression of VectorObjectives.cs, no optimizer;
#   bowl:          the 10,000-value objective Σ (w_i − 0.5)² of VectorObjectives.cs, no optimizer;
#   bowl-adam:     the same with its [Adam] optimizer, as in the benchmark.
# Prints every wall-clock time, the medians and the medians minus the empty project's.
#   bash tests/OptimDsl.Benchmarks/measure-vector-build.sh [RUNS] [WORK_DIR]
# UseSharedCompilation=false (a cold compiler per build, as measure-build-cost.sh and CI); set
# USE_SHARED_COMPILATION=true to build through the compiler server instead.
set -euo pipefail

RUNS=${1:-3}
WORK=${2:-/tmp/optimdsl-vector-build}
SHARED=${USE_SHARED_COMPILATION:-false}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VARIANTS="empty logistic bowl bowl-adam"

rm -rf "$WORK"
mkdir -p "$WORK/lib"
dotnet build "$REPO/tests/OptimDsl.Benchmarks" -c Release -v:q -nologo >/dev/null
BIN="$REPO/tests/OptimDsl.Benchmarks/bin/Release/net10.0"
cp "$BIN/OptimDsl.dll" "$BIN/OptimDsl.Generators.dll" "$WORK/lib/"
echo '<Project />' > "$WORK/Directory.Build.props"
echo '<Project />' > "$WORK/Directory.Build.targets"

objective() {
    case "$1" in
    empty) ;;
    logistic) cat <<'CS'
    [Objective]
    public static double LogisticRegression([Length(100)] ReadOnlySpan<double> w, double b,
                                            [Data, Length(100)] ReadOnlySpan<double> x, [Data] double y)
    {
        double z = b;
        for (int i = 0; i < 100; i++)
            z += w[i] * x[i];
        return Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))) - y * z;
    }
CS
    ;;
    bowl | bowl-adam)
        if [ "$1" = bowl-adam ]; then echo '    [Objective, Adam(LearningRate = 0.01)]'; else echo '    [Objective]'; fi
        cat <<'CS'
    public static double WideBowl([Length(10000)] ReadOnlySpan<double> w)
    {
        double sum = 0;
        for (int i = 0; i < 10000; i++)
        {
            double d = w[i] - 0.5;
            sum += d * d;
        }

        return sum;
    }
CS
    ;;
    esac
}

for variant in $VARIANTS; do
    mkdir -p "$WORK/$variant"
    {
        echo 'using System;'
        echo 'using OptimDsl;'
        echo
        echo 'namespace Tiny;'
        echo
        echo 'public static partial class Models'
        echo '{'
        objective "$variant"
        echo '}'
        echo
        echo 'public static class Program'
        echo '{'
        echo '    public static void Main() => Console.WriteLine(typeof(Models).Name);'
        echo '}'
    } > "$WORK/$variant/Program.cs"
    cat > "$WORK/$variant/Tiny.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <UseSharedCompilation>$SHARED</UseSharedCompilation>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="../lib/OptimDsl.dll" />
    <Analyzer Include="../lib/OptimDsl.Generators.dll" />
  </ItemGroup>
</Project>
PROJECT
    dotnet restore "$WORK/$variant" -v:q -nologo >/dev/null
    dotnet build "$WORK/$variant" -c Release --no-restore -v:q -nologo >/dev/null   # warm-up (disk cache, SDK); fails loudly on an error
done

declare -A times
for ((run = 1; run <= RUNS; run++)); do
    for variant in $VARIANTS; do
        start=$EPOCHREALTIME
        dotnet build "$WORK/$variant" -c Release --no-restore --no-incremental -v:q -nologo >/dev/null
        end=$EPOCHREALTIME
        t=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
        times[$variant]+="$t "
        echo "run $run $variant: $t s"
    done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
empty=$(echo "${times[empty]}" | median)
echo "runs: $RUNS, UseSharedCompilation: $SHARED"
for variant in $VARIANTS; do
    m=$(echo "${times[$variant]}" | median)
    chars=$(find "$WORK/$variant/obj" -path '*OptimDsl.Generators*' -name '*.g.cs' -exec cat {} + 2>/dev/null | wc -c)
    awk -v v="$variant" -v m="$m" -v e="$empty" -v c="$chars" 'BEGIN { printf "%-10s median %6.2f s, minus empty %6.2f s, generated C#: %d characters\n", v, m, m - e, c }'
done
