namespace Dio.Bench.Simulation.LlmdLatency;

/// <summary>
/// The filters, scorer and picker of llm-d's predicted-latency profile over endpoints with predictions
/// (llm-d/llm-d-inference-scheduler 520af478; paths under <c>pkg/epp/framework/plugins/scheduling</c>):
/// <list type="number">
/// <item>strict prefix affinity, threshold 0.99 (<c>filter/prefixcacheaffinity/plugin.go</c> 61-65, 103-152);</item>
/// <item>the SLO-headroom tier filter (<c>filter/sloheadroomtier/plugin.go</c> 50-52, 83-138);</item>
/// <item>loose prefix affinity, threshold 0.80;</item>
/// <item>the latency scorer, TTFT weight 0.8, TPOT 0.2, strategy "least" (<c>scorer/latency/plugin.go</c> 83-90, 136-368);</item>
/// <item>the weighted-random picker, A-Res keys U^(1/score) (<c>picker/weightedrandom/picker.go</c> 110-154).</item>
/// </list>
/// </summary>
internal sealed class HeadroomPicker(Random random)
{
    public const double StrictAffinity = 0.99;
    public const double LooseAffinity = 0.80;
    public const double AffinityExploration = 0.01;
    public const double MaxTtftPenaltyMs = 5000;
    public const double NegativeTierExploration = 0.01;
    public const double TtftWeight = 0.8;
    public const double TpotWeight = 0.2;
    private const double Flat = 1e-9;

    private readonly List<int> _set = [];
    private readonly List<int> _kept = [];
    private readonly List<int> _bucket = [];

    /// <summary>One endpoint as the profile sees it: its features, headroom (objective − prediction) and predicted TTFT,
    /// and the requests the picker dispatched there that have not ended.</summary>
    public readonly record struct Endpoint(LatencyFeatures Features, double TtftHeadroomMs, double TpotHeadroomMs, double PredictedTtftMs,
        int Dispatched)
    {
        public bool Positive => TtftHeadroomMs >= 0 && TpotHeadroomMs >= 0;
    }

    /// <summary>The index of the endpoint picked.</summary>
    public int Choose(ReadOnlySpan<Endpoint> endpoints)
    {
        _set.Clear();
        for (var i = 0; i < endpoints.Length; i++)
        {
            _set.Add(i);
        }

        Affinity(endpoints, StrictAffinity);
        Tier(endpoints);
        Affinity(endpoints, LooseAffinity);
        Score(endpoints, out var scores);
        return WeightedRandom(scores);
    }

    /// <summary>Keeps the endpoints holding at least <paramref name="threshold"/> of the prompt's prefix, unless none
    /// does, a 1% exploration keeps all, or the best of them is predicted more than 5 s slower than the best other.</summary>
    private void Affinity(ReadOnlySpan<Endpoint> endpoints, double threshold)
    {
        if (_set.Count <= 1 || random.NextDouble() < AffinityExploration)
        {
            return;
        }

        var bestSticky = double.MaxValue;
        var bestOther = double.MaxValue;
        var others = 0;
        _kept.Clear();
        foreach (var i in _set)
        {
            if (endpoints[i].Features.PrefixScore >= threshold)
            {
                _kept.Add(i);
                bestSticky = Math.Min(bestSticky, endpoints[i].PredictedTtftMs);
            }
            else
            {
                others++;
                bestOther = Math.Min(bestOther, endpoints[i].PredictedTtftMs);
            }
        }

        if (_kept.Count == 0 || (others > 0 && bestSticky - bestOther > MaxTtftPenaltyMs))
        {
            return;
        }

        Replace(_kept);
    }

    /// <summary>The endpoints that meet both objectives, or with 1% probability those that do not.</summary>
    private void Tier(ReadOnlySpan<Endpoint> endpoints)
    {
        if (_set.Count <= 1)
        {
            return;
        }

        var positives = 0;
        foreach (var i in _set)
        {
            positives += endpoints[i].Positive ? 1 : 0;
        }

        if (positives == 0 || positives == _set.Count)
        {
            return;
        }

        var keepPositive = random.NextDouble() >= NegativeTierExploration;
        _kept.Clear();
        foreach (var i in _set)
        {
            if (endpoints[i].Positive == keepPositive)
            {
                _kept.Add(i);
            }
        }

        Replace(_kept);
    }

    /// <summary>
    /// Scores one bucket: the endpoints with positive headroom if any; else the idle ones (nothing dispatched);
    /// else the first non-empty of TPOT-only, TTFT-only and both negative. Within it headroom magnitudes are min-max
    /// normalised, c = 0.8·n_ttft + 0.2·n_tpot, and "least" gives (⌊(1 − c)·100⌋ + 1)/100: the endpoint closest to its
    /// objective (or least over it) scores highest. Endpoints outside the bucket score 0.
    /// </summary>
    private void Score(ReadOnlySpan<Endpoint> endpoints, out List<(int Index, double Score)> scores)
    {
        _bucket.Clear();
        Collect(endpoints, static e => e.Positive);
        if (_bucket.Count == 0)
        {
            Collect(endpoints, static e => e.Dispatched == 0);
        }

        if (_bucket.Count == 0)
        {
            Collect(endpoints, static e => e.TpotHeadroomMs < 0 && e.TtftHeadroomMs >= 0);
        }

        if (_bucket.Count == 0)
        {
            Collect(endpoints, static e => e.TtftHeadroomMs < 0 && e.TpotHeadroomMs >= 0);
        }

        if (_bucket.Count == 0)
        {
            Collect(endpoints, static _ => true);
        }

        double minT = double.MaxValue, maxT = double.MinValue, minP = double.MaxValue, maxP = double.MinValue;
        foreach (var i in _bucket)
        {
            minT = Math.Min(minT, Math.Abs(endpoints[i].TtftHeadroomMs));
            maxT = Math.Max(maxT, Math.Abs(endpoints[i].TtftHeadroomMs));
            minP = Math.Min(minP, Math.Abs(endpoints[i].TpotHeadroomMs));
            maxP = Math.Max(maxP, Math.Abs(endpoints[i].TpotHeadroomMs));
        }

        var (rangeT, rangeP) = (maxT - minT, maxP - minP);
        var (alpha, beta) = (TtftWeight / (TtftWeight + TpotWeight), TpotWeight / (TtftWeight + TpotWeight));
        if (rangeT <= Flat && rangeP > Flat)
        {
            (alpha, beta) = (0, 1);
        }
        else if (rangeP <= Flat && rangeT > Flat)
        {
            (alpha, beta) = (1, 0);
        }

        scores = new List<(int, double)>(_bucket.Count);
        foreach (var i in _bucket)
        {
            var nT = rangeT > Flat ? (Math.Abs(endpoints[i].TtftHeadroomMs) - minT) / rangeT : 0.5;
            var nP = rangeP > Flat ? (Math.Abs(endpoints[i].TpotHeadroomMs) - minP) / rangeP : 0.5;
            var c = (alpha * nT) + (beta * nP);
            scores.Add((i, ((int)((1 - c) * 100) + 1) / 100.0));
        }
    }

    /// <summary>Each endpoint with probability proportional to its score (A-Res: the largest U^(1/score)).</summary>
    private int WeightedRandom(List<(int Index, double Score)> scores)
    {
        var best = scores[0].Index;
        var bestKey = double.MinValue;
        foreach (var (index, score) in scores)
        {
            var u = random.NextDouble();
            var key = score > 0 ? Math.Pow(u == 0 ? 1e-10 : u, 1 / score) : 0;
            if (key > bestKey)
            {
                best = index;
                bestKey = key;
            }
        }

        return best;
    }

    private void Collect(ReadOnlySpan<Endpoint> endpoints, Func<Endpoint, bool> member)
    {
        foreach (var i in _set)
        {
            if (member(endpoints[i]))
            {
                _bucket.Add(i);
            }
        }
    }

    private void Replace(List<int> kept)
    {
        _set.Clear();
        _set.AddRange(kept);
    }
}
