using System.Globalization;
using System.Text;

namespace RnnNative.Formats;

/// <summary>
/// The header dictionary of a .npy file, e.g. <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }</c>.
/// Parsed with a strict reader for exactly the Python literal subset NumPy writes, never with an evaluator.
/// </summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape)
{
    public static NpyHeader Parse(string text, string file) => new Parser(text, file).ParseHeader();

    public string Format()
    {
        string shape = Shape.Length == 1
            ? $"({Shape[0]},)"
            : "(" + string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
        return $"{{'descr': '{Descr}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {shape}, }}";
    }

    private sealed class Parser(string text, string file)
    {
        private int _pos;

        public NpyHeader ParseHeader()
        {
            string? descr = null;
            bool? fortran = null;
            int[]? shape = null;
            SkipSpace();
            Expect('{');
            SkipSpace();
            while (Peek() != '}')
            {
                string key = ReadString();
                SkipSpace();
                Expect(':');
                SkipSpace();
                switch (key)
                {
                    case "descr" when descr is null:
                        if (Peek() is not ('\'' or '"'))
                            throw Fail("descr is not a simple type string (structured dtypes are not supported)");
                        descr = ReadString();
                        break;
                    case "fortran_order" when fortran is null:
                        fortran = ReadBool();
                        break;
                    case "shape" when shape is null:
                        shape = ReadShape();
                        break;
                    case "descr" or "fortran_order" or "shape":
                        throw Fail($"the header names '{key}' twice");
                    default:
                        throw Fail($"the header has an unexpected key '{key}'");
                }
                SkipSpace();
                if (Peek() == ',')
                {
                    _pos++;
                    SkipSpace();
                }
                else if (Peek() != '}')
                {
                    throw Fail($"expected ',' or '}}' at header position {_pos}");
                }
            }
            _pos++;
            SkipSpace();
            if (_pos != text.Length)
                throw Fail($"unexpected text after the header dictionary at position {_pos}");
            if (descr is null || fortran is null || shape is null)
                throw Fail("the header must give descr, fortran_order and shape");
            return new NpyHeader(descr, fortran.Value, shape);
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void Expect(char c)
        {
            if (Peek() != c) throw Fail($"expected '{c}' at header position {_pos}");
            _pos++;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && text[_pos] is ' ' or '\t' or '\n' or '\r') _pos++;
        }

        private string ReadString()
        {
            char quote = Peek();
            if (quote is not ('\'' or '"')) throw Fail($"expected a quoted string at header position {_pos}");
            int start = ++_pos;
            while (_pos < text.Length && text[_pos] != quote)
            {
                if (text[_pos] == '\\') throw Fail("escape sequences in header strings are not supported");
                _pos++;
            }
            if (_pos >= text.Length) throw Fail("unterminated string in the header");
            return text[start.._pos++];
        }

        private bool ReadBool()
        {
            if (text.AsSpan(_pos).StartsWith("True")) { _pos += 4; return true; }
            if (text.AsSpan(_pos).StartsWith("False")) { _pos += 5; return false; }
            throw Fail($"fortran_order must be True or False at header position {_pos}");
        }

        private int[] ReadShape()
        {
            Expect('(');
            var dims = new List<int>();
            SkipSpace();
            while (Peek() != ')')
            {
                int start = _pos;
                while (char.IsAsciiDigit(Peek())) _pos++;
                if (_pos == start) throw Fail($"expected a non-negative integer in shape at header position {_pos}");
                if (!int.TryParse(text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out int d))
                    throw Fail($"shape dimension {text[start.._pos]} is too large");
                if (Peek() == 'L') _pos++; // Python 2 long literals, as old NumPy wrote them.
                dims.Add(d);
                SkipSpace();
                if (Peek() == ',')
                {
                    _pos++;
                    SkipSpace();
                }
                else if (Peek() != ')')
                {
                    throw Fail($"expected ',' or ')' in shape at header position {_pos}");
                }
            }
            _pos++;
            if (dims.Count > 32) throw Fail($"shape has {dims.Count} dimensions; NumPy allows at most 32");
            return dims.ToArray();
        }

        private FileFormatException Fail(string problem) => new(file, $"malformed .npy header: {problem}");
    }
}
