using MathNet.Numerics.LinearAlgebra;

namespace Dio.Bench.Simulation.LlmdLatency;

/// <summary>
/// llm-d's latency predictor with <c>LATENCY_MODEL_TYPE=bayesian_ridge</c> (llm-d/llm-d-latency-predictor 04e44cd8,
/// <c>training/training_server.py</c>): scikit-learn's <c>BayesianRidge</c> (its defaults: 300 iterations, tol 1e-3,
/// α₁ = α₂ = λ₁ = λ₂ = 1e-6, an intercept) on <c>StandardScaler</c>-scaled features, the mean objective the Helm chart
/// sets; predictions clipped at 0 as the prediction server does. The evidence maximisation is scikit-learn's
/// (<c>sklearn/linear_model/_bayes.py</c>): the coefficients from the eigen-decomposition of XᵀX, then γ, λ and α updated
/// until the coefficients move less than the tolerance.
/// </summary>
internal sealed class BayesianRidge
{
    private const int MaxIterations = 300;
    private const double Tolerance = 1e-3;
    private const double Hyper = 1e-6;   // α₁ = α₂ = λ₁ = λ₂

    private readonly double[] _mean;
    private readonly double[] _scale;
    private readonly double[] _coefficients;
    private readonly double _intercept;

    private BayesianRidge(double[] mean, double[] scale, double[] coefficients, double intercept) =>
        (_mean, _scale, _coefficients, _intercept) = (mean, scale, coefficients, intercept);

    /// <summary>Fits rows (features, label); needs more rows than features.</summary>
    public static BayesianRidge Fit(IReadOnlyList<(double[] Features, double Label)> rows)
    {
        var n = rows.Count;
        var d = rows[0].Features.Length;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(n, d);
        var mean = new double[d];
        var scale = new double[d];
        for (var j = 0; j < d; j++)
        {
            mean[j] = rows.Average(r => r.Features[j]);
            var variance = rows.Average(r => (r.Features[j] - mean[j]) * (r.Features[j] - mean[j]));
            scale[j] = variance > 0 ? Math.Sqrt(variance) : 1;   // StandardScaler leaves a constant column at 0
        }

        // Scaled features have mean 0, so centring (fit_intercept) only moves the labels.
        var x = Matrix<double>.Build.Dense(n, d, (i, j) => (rows[i].Features[j] - mean[j]) / scale[j]);
        var yMean = rows.Average(r => r.Label);
        var y = Vector<double>.Build.Dense(n, i => rows[i].Label - yMean);
        var xty = x.TransposeThisAndMultiply(y);
        var evd = x.TransposeThisAndMultiply(x).Evd(Symmetricity.Symmetric);
        var eigen = evd.EigenValues.Real();
        var vectors = evd.EigenVectors;

        var alpha = 1.0 / ((y.DotProduct(y) / n) + 2.220446049250313e-16);   // 1/(var(y) + machine ε), y already centred
        var lambda = 1.0;
        Vector<double>? previous = null;
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var coefficients = Coefficients(vectors, eigen, xty, alpha, lambda);
            var error = y - (x * coefficients);
            var residual = error.DotProduct(error);
            var gamma = eigen.Sum(e => alpha * e / (lambda + (alpha * e)));
            lambda = (gamma + (2 * Hyper)) / (coefficients.DotProduct(coefficients) + (2 * Hyper));
            alpha = (n - gamma + (2 * Hyper)) / (residual + (2 * Hyper));
            if (previous is not null && (previous - coefficients).L1Norm() < Tolerance)
            {
                break;
            }

            previous = coefficients;
        }

        return new BayesianRidge(mean, scale, [.. Coefficients(vectors, eigen, xty, alpha, lambda)], yMean);
    }

    /// <summary>The predicted mean, at least 0.</summary>
    public double Predict(ReadOnlySpan<double> features)
    {
        var sum = _intercept;
        for (var j = 0; j < _coefficients.Length; j++)
        {
            sum += _coefficients[j] * (features[j] - _mean[j]) / _scale[j];
        }

        return Math.Max(0, sum);
    }

    /// <summary>w = V·diag(1/(eig + λ/α))·Vᵀ·Xᵀy: the posterior mean for precisions α (noise) and λ (weights).</summary>
    private static Vector<double> Coefficients(Matrix<double> vectors, Vector<double> eigen, Vector<double> xty, double alpha, double lambda)
    {
        var projected = vectors.TransposeThisAndMultiply(xty);
        for (var k = 0; k < projected.Count; k++)
        {
            projected[k] /= eigen[k] + (lambda / alpha);
        }

        return vectors * projected;
    }
}
