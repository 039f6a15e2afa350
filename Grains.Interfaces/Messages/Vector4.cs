using System.Runtime.CompilerServices;

namespace Dio.Grains;

/// <summary>Four doubles stored inline: a feature or coefficient vector that lives on the stack or in a struct,
/// so predicting and learning allocate nothing. Unused trailing components stay zero. Crosses grains through
/// <see cref="Vector4Surrogate"/> (Orleans does not serialize inline arrays).</summary>
[InlineArray(Length)]
public struct Vector4 : IEquatable<Vector4>
{
    public const int Length = 4;
    private double _element0;

    public static Vector4 Of(double a, double b = 0, double c = 0, double d = 0)
    {
        var v = default(Vector4);
        v[0] = a;
        v[1] = b;
        v[2] = c;
        v[3] = d;
        return v;
    }

    public static Vector4 From(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var v = default(Vector4);
        for (var i = 0; i < Math.Min(Length, values.Length); i++)
        {
            v[i] = values[i];
        }

        return v;
    }

    public readonly double[] ToArray() => [this[0], this[1], this[2], this[3]];

    // Inline arrays have no built-in equality; records holding one (PredictorView) compare through these.
    public readonly bool Equals(Vector4 other) =>
        this[0].Equals(other[0]) && this[1].Equals(other[1]) && this[2].Equals(other[2]) && this[3].Equals(other[3]);

    public override readonly bool Equals(object? obj) => obj is Vector4 other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(this[0], this[1], this[2], this[3]);

    public static bool operator ==(Vector4 left, Vector4 right) => left.Equals(right);

    public static bool operator !=(Vector4 left, Vector4 right) => !left.Equals(right);

    /// <summary>Unrolled: this runs for every worker on every routing decision.</summary>
    public readonly double Dot(in Vector4 other) =>
        (this[0] * other[0]) + (this[1] * other[1]) + (this[2] * other[2]) + (this[3] * other[3]);
}

/// <summary>The wire form of a <see cref="Vector4"/>.</summary>
[GenerateSerializer, Immutable, Alias("dio.vector4")]
public readonly record struct Vector4Surrogate([property: Id(0)] double A, [property: Id(1)] double B,
    [property: Id(2)] double C, [property: Id(3)] double D);

/// <summary>Converts <see cref="Vector4"/> to and from its wire form.</summary>
[RegisterConverter]
public sealed class Vector4Converter : IConverter<Vector4, Vector4Surrogate>
{
    public Vector4 ConvertFromSurrogate(in Vector4Surrogate surrogate) => Vector4.Of(surrogate.A, surrogate.B, surrogate.C, surrogate.D);

    public Vector4Surrogate ConvertToSurrogate(in Vector4 value) => new(value[0], value[1], value[2], value[3]);
}
