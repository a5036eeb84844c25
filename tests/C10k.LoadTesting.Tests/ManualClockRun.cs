namespace C10k.LoadTesting.Tests;

/// <summary>Drives an async operation with a <see cref="ManualTimeProvider"/> in fixed steps until it finishes.</summary>
internal static class ManualClockRun
{
    /// <summary>
    /// Starts <paramref name="start"/> and advances the clock by <paramref name="step"/> until it completes or <paramref name="limit"/>
    /// of simulated time has passed. Runs on a pool thread without a SynchronizationContext, so every continuation runs inline.
    /// </summary>
    public static Task<T> RunAsync<T>(ManualTimeProvider time, Func<Task<T>> start, TimeSpan step, TimeSpan limit) =>
        Task.Run(() =>
        {
            var task = start();
            for (var elapsed = TimeSpan.Zero; !task.IsCompleted && elapsed < limit; elapsed += step)
            {
                time.Advance(step);
            }

            return task.IsCompleted ? task : throw new TimeoutException($"Still running after {limit} of simulated time.");
        });
}
