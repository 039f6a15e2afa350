using System.Runtime.CompilerServices;

namespace Dio.Grains.Scheduling;

/// <summary>Four doubles stored inline: a feature or coefficient vector that lives on the stack or in a struct,
/// so predicting and learning allocate nothing. Unused trailing components stay zero.</summary>
[InlineArray(Length)]
internal struct Vector4
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
        var v = default(Vector4);
        for (var i = 0; i < Math.Min(Length, values.Length); i++)
        {
            v[i] = values[i];
        }

        return v;
    }

    public readonly double[] ToArray() => [this[0], this[1], this[2], this[3]];

    /// <summary>Unrolled: this runs for every worker on every routing decision.</summary>
    public readonly double Dot(in Vector4 other) =>
        (this[0] * other[0]) + (this[1] * other[1]) + (this[2] * other[2]) + (this[3] * other[3]);
}
