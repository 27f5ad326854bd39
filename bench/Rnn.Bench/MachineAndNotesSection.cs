using System.Text;

namespace RnnNative.Bench;

/// <summary>The closing sections every results file ends with: the machine and versions it ran on, then its notes.</summary>
public static class MachineAndNotesSection
{
    public static void AppendTo(StringBuilder md, IReadOnlyList<(string Name, string Value)> environment, IReadOnlyList<string> notes)
    {
        md.AppendLine().AppendLine("### Machine and versions").AppendLine();
        foreach (var (name, value) in environment) md.AppendLine($"- {name}: {value}");
        if (notes.Count == 0) return;
        md.AppendLine().AppendLine("### Notes").AppendLine();
        foreach (var note in notes) md.AppendLine($"- {note}");
    }
}
