namespace RnnNative.Samples.Plotting;

/// <summary>An RGB raster with the few drawing operations a line plot needs: pixels, thick lines, rectangles, small text.</summary>
public sealed class Canvas
{
    public Canvas(int width, int height, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        FillRectangle(0, 0, width, height, background);
    }

    public int Width { get; }
    public int Height { get; }
    /// <summary>RGB bytes, rows top to bottom.</summary>
    public byte[] Pixels { get; }

    public void SetPixel(int x, int y, Rgb color)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        int i = (y * Width + x) * 3;
        Pixels[i] = color.R;
        Pixels[i + 1] = color.G;
        Pixels[i + 2] = color.B;
    }

    public Rgb GetPixel(int x, int y)
    {
        int i = (y * Width + x) * 3;
        return new Rgb(Pixels[i], Pixels[i + 1], Pixels[i + 2]);
    }

    public void FillRectangle(int x, int y, int width, int height, Rgb color)
    {
        for (int j = y; j < y + height; j++)
            for (int i = x; i < x + width; i++) SetPixel(i, j, color);
    }

    /// <summary>Bresenham's line, drawn with a square pen of the given thickness.</summary>
    public void DrawLine(int x0, int y0, int x1, int y1, Rgb color, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
        int err = dx + dy, r = thickness / 2;
        while (true)
        {
            FillRectangle(x0 - r, y0 - r, thickness, thickness, color);
            if (x0 == x1 && y0 == y1) break;
            int e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    /// <summary>Text in a 3×5 pixel font, scaled; characters the font lacks are left blank.</summary>
    public void DrawText(int x, int y, string text, Rgb color, int scale = 2)
    {
        foreach (char ch in text)
        {
            if (PixelFont.Glyph(ch) is { } rows)
                for (int row = 0; row < rows.Length; row++)
                    for (int col = 0; col < 3; col++)
                        if (rows[row][col] == '#') FillRectangle(x + col * scale, y + row * scale, scale, scale, color);
            x += 4 * scale;
        }
    }

    public void SavePng(string path)
    {
        using var file = File.Create(path);
        PngEncoder.Write(file, Width, Height, Pixels);
    }
}

public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb White => new(255, 255, 255);
    public static Rgb Black => new(0, 0, 0);
    public static Rgb LightGray => new(225, 225, 225);
}
