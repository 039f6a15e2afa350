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

    public readonly double Dot(in Vector4 other)
    {
        var sum = 0.0;
        for (var i = 0; i < Length; i++)
        {
            sum += this[i] * other[i];
        }

        return sum;
    }
}
