namespace Dio.Grains.Workers;

/// <summary>Process-wide unique reservation ids; a restarted silo starts above any id it could have handed out
/// before, so a late completion from an old frontend can never close a new reservation.</summary>
internal static class ReservationIds
{
    private static long s_last = Environment.TickCount64 << 20;

    public static long Next() => Interlocked.Increment(ref s_last);
}
