namespace Dio.Grains.Policies;

/// <summary>
/// Running argmin that breaks exact ties uniformly at random (reservoir sampling over the tied set), so equal
/// workers share load instead of the first one taking everything. No allocation.
/// </summary>
internal struct ReservoirArgMin(Random random)
{
    private int _ties;

    public int Index { get; private set; } = -1;

    public double Value { get; private set; } = double.PositiveInfinity;

    public void Offer(int index, double value)
    {
        if (value < Value)
        {
            Index = index;
            Value = value;
            _ties = 1;
        }
        else if (value == Value && Index >= 0 && random.Next(++_ties) == 0)
        {
            Index = index;
        }
    }
}
