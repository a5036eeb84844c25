using System.Diagnostics;

namespace C10k.Server.Dispatch;

/// <summary>
/// Measured time per cost unit of one operation (moving average), so auto placement can estimate a request's time from its
/// arguments. Updated from any thread without a lock: a lost update only delays convergence.
/// </summary>
internal sealed class OperationCalibration
{
    /// <summary>Runs estimated shorter than this don't update the calibration.</summary>
    public const double SignificantMicroseconds = 20;

    private static readonly double SignificantTicks = MicrosecondsToTicks(SignificantMicroseconds);

    private double _ticksPerUnit;

    /// <summary>True once at least one execution was measured.</summary>
    public bool IsCalibrated => Volatile.Read(ref _ticksPerUnit) > 0;

    /// <summary>Estimated Stopwatch ticks for <paramref name="cost"/> units; infinity before calibration (unknown = heavy).</summary>
    public double EstimateTicks(long cost)
    {
        var perUnit = Volatile.Read(ref _ticksPerUnit);
        return perUnit > 0 ? perUnit * cost : double.PositiveInfinity;
    }

    /// <summary>
    /// Folds one measured run into the estimate. Runs estimated under <see cref="SignificantMicroseconds"/> are skipped once calibrated:
    /// their time is mostly fixed per-request overhead (and the odd JIT or GC pause), which would inflate the per-unit figure.
    /// </summary>
    public void Record(long elapsedTicks, long cost)
    {
        var old = Volatile.Read(ref _ticksPerUnit);
        if (old > 0 && old * cost < SignificantTicks)
        {
            return;
        }

        var sample = (double)Math.Max(elapsedTicks, 1) / Math.Max(cost, 1);
        Volatile.Write(ref _ticksPerUnit, old > 0 ? (old * 0.9) + (sample * 0.1) : sample);
    }

    /// <summary>Converts microseconds to Stopwatch ticks.</summary>
    public static double MicrosecondsToTicks(double microseconds) => microseconds * Stopwatch.Frequency / 1_000_000;
}
