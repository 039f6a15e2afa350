namespace Dio.Bench.Overload;

/// <summary>Every request of the overload, by what its client saw. Lost = anything but completed, shed or abandoned.</summary>
internal sealed class OverloadTally
{
    private readonly long[] _counts = new long[Enum.GetValues<Outcome>().Length];

    public enum Outcome
    {
        Completed,
        Shed,
        Abandoned,
        ShedWithoutRetryAfter,
        Other5xx,
        Client4xx,
        Broken,
        TransportError,
    }

    public long Sent => _counts.Sum();

    public long Lost => Count(Outcome.Client4xx) + Count(Outcome.Broken) + Count(Outcome.TransportError) + Other5xx + ShedWithoutRetryAfter;

    public long Other5xx => Count(Outcome.Other5xx);

    public long ShedWithoutRetryAfter => Count(Outcome.ShedWithoutRetryAfter);

    public void Record(Outcome outcome) => Interlocked.Increment(ref _counts[(int)outcome]);

    public long Count(Outcome outcome) => Interlocked.Read(ref _counts[(int)outcome]);

    public string Render(int leasesOpen, long preemptions) => Reports.Markdown.Table(
        ["sent", ">completed", ">shed (503 + Retry-After)", ">abandoned by the client", ">lost", ">other 5xx", ">503 without Retry-After", ">leases open after", ">preemptions"],
        [[$"{Sent:N0}", $"{Count(Outcome.Completed):N0}", $"{Count(Outcome.Shed):N0}", $"{Count(Outcome.Abandoned):N0}", $"{Lost:N0}", $"{Other5xx:N0}",
            $"{ShedWithoutRetryAfter:N0}", $"{leasesOpen}", $"{preemptions}"]]);
}
