using System.Globalization;

namespace RnnNative.Samples.Plotting;

/// <summary>
/// A plain line plot on a log₁₀ y axis: one coloured series per line, a frame, a grid line per decade labelled with its
/// exponent, x ticks, and a legend. Enough to show gradients that shrink by orders of magnitude.
/// </summary>
public sealed class LinePlot
{
    private readonly List<(string Label, double[] Values, Rgb Color)> _series = [];

    public LinePlot(string title, string xLabel)
    {
        Title = title;
        XLabel = xLabel;
    }

    public string Title { get; }
    public string XLabel { get; }

    public void Add(string label, double[] values, Rgb color)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length < 2) throw new ArgumentException("A series needs at least two points.", nameof(values));
        _series.Add((label, values, color));
    }

    public Canvas Render(int width = 720, int height = 420)
    {
        if (_series.Count == 0) throw new InvalidOperationException("Nothing to plot: add a series first.");
        var canvas = new Canvas(width, height, Rgb.White);
        const int left = 70, right = 20, top = 40, bottom = 50;
        int plotW = width - left - right, plotH = height - top - bottom;

        var positive = _series.SelectMany(s => s.Values).Where(v => v > 0 && double.IsFinite(v)).ToList();
        double minExp = positive.Count > 0 ? Math.Floor(Math.Log10(positive.Min())) : -1;
        double maxExp = positive.Count > 0 ? Math.Ceiling(Math.Log10(positive.Max())) : 0;
        if (maxExp <= minExp) maxExp = minExp + 1;
        int points = _series.Max(s => s.Values.Length);
        int X(double i) => left + (int)Math.Round(i / (points - 1) * plotW);
        int Y(double v) => top + (int)Math.Round((maxExp - Math.Log10(Math.Max(v, Math.Pow(10, minExp)))) / (maxExp - minExp) * plotH);

        // Decade grid and labels: "-3" means 10^-3.
        int decadeStep = Math.Max(1, (int)Math.Ceiling((maxExp - minExp) / 12));
        for (double e = minExp; e <= maxExp; e += decadeStep)
        {
            int y = Y(Math.Pow(10, e));
            canvas.DrawLine(left, y, left + plotW, y, Rgb.LightGray);
            canvas.DrawText(8, y - 5, e.ToString(CultureInfo.InvariantCulture), Rgb.Black);
        }
        for (int tick = 0; tick < points; tick += Math.Max(1, points / 6))
        {
            canvas.DrawLine(X(tick), top + plotH, X(tick), top + plotH + 5, Rgb.Black);
            canvas.DrawText(X(tick) - 6, top + plotH + 10, tick.ToString(CultureInfo.InvariantCulture), Rgb.Black);
        }
        canvas.DrawLine(left, top, left, top + plotH, Rgb.Black);
        canvas.DrawLine(left, top + plotH, left + plotW, top + plotH, Rgb.Black);
        canvas.DrawText(left, 10, Title, Rgb.Black);
        canvas.DrawText(left + plotW / 2 - XLabel.Length * 4, height - 18, XLabel, Rgb.Black);

        foreach (var (_, values, color) in _series)
            for (int i = 1; i < values.Length; i++)
                canvas.DrawLine(X(i - 1), Y(values[i - 1]), X(i), Y(values[i]), color, thickness: 2);

        int legendY = top + 8;
        foreach (var (label, _, color) in _series)
        {
            canvas.FillRectangle(left + plotW - 130, legendY, 24, 10, color);
            canvas.DrawText(left + plotW - 100, legendY, label, Rgb.Black);
            legendY += 18;
        }
        return canvas;
    }
}
