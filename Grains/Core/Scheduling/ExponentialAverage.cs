namespace Dio.Grains.Scheduling;

/// <summary>EMA that takes the first sample as is (DIO's t̄: y first, then 0.9·t̄ + 0.1·y).</summary>
internal struct ExponentialAverage(double weight)
{
    public double Value { get; private set; }

    public bool HasValue { get; private set; }

    public readonly double Weight => weight;

    public void Add(double sample)
    {
        Value = HasValue ? ((1 - weight) * Value) + (weight * sample) : sample;
        HasValue = true;
    }

    public readonly double ValueOr(double fallback) => HasValue ? Value : fallback;

    public readonly AverageState Export() => new(Value, HasValue);

    public void Import(AverageState state) => (Value, HasValue) = (state.Value, state.HasValue);
}
