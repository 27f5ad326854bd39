using RnnNative.Formats;

namespace RnnNative.Onnx;

/// <summary>
/// Makes the importer's <see cref="FileFormatException"/>s. Messages quote names from the file (nodes, values), which a
/// hostile file can fill with line breaks and control characters; they are replaced so every error stays one line.
/// </summary>
internal static class OnnxFormatError
{
    public static FileFormatException Create(string file, string problem, Exception? inner = null) =>
        new(file, string.Create(problem.Length, problem, static (span, text) =>
        {
            for (int i = 0; i < text.Length; i++) span[i] = char.IsControl(text[i]) ? '?' : text[i];
        }), inner);
}
