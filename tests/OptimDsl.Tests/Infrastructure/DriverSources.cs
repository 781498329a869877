namespace OptimDsl.Tests.Infrastructure;

/// <summary>C# text that several tests' driver sources share, spliced into them (<c>{{DriverSources.ParameterRecorder}}</c>).</summary>
internal static class DriverSources
{
    /// <summary>
    /// An <c>IParameterObserver</c> that counts its calls and copies the parameters of each call, one after the other,
    /// into <c>Seen</c> while they fit (a driver source's <c>using System; using OptimDsl;</c> must be in scope).
    /// </summary>
    public const string ParameterRecorder = """
        /// <summary>Records the parameters an IParameterObserver sees.</summary>
        public struct Recorder : IParameterObserver
        {
            public double[] Seen;
            public int Calls;

            public bool OnStep(long iteration, double loss, double gradientNorm) => true;

            public bool OnStep(long iteration, double loss, double gradientNorm, ReadOnlySpan<double> parameters)
            {
                if (Seen != null && (Calls + 1) * parameters.Length <= Seen.Length)
                {
                    parameters.CopyTo(Seen.AsSpan(Calls * parameters.Length));
                }

                Calls++;
                return true;
            }
        }
        """;
}
