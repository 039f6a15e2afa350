namespace Dio.Grains.Policies;

/// <summary>DIO's capability tiers (ALGORITHMS.md §1.5): a <c>large</c> request only on a <c>large</c> worker;
/// a <c>small</c> request on a <c>large</c> worker costs 500 ms; any other pairing is free.</summary>
internal static class TierRule
{
    public const string Large = "large";
    public const string Small = "small";

    public static double PenaltyMs(string? requestTier, string workerTier, double mismatchMs)
    {
        if (requestTier is null)
        {
            return 0;   // the common case, decided without comparing strings
        }

        if (string.Equals(requestTier, Large, StringComparison.OrdinalIgnoreCase))
        {
            return string.Equals(workerTier, Large, StringComparison.OrdinalIgnoreCase) ? 0 : double.PositiveInfinity;
        }

        return string.Equals(requestTier, Small, StringComparison.OrdinalIgnoreCase)
            && string.Equals(workerTier, Large, StringComparison.OrdinalIgnoreCase) ? mismatchMs : 0;
    }
}
