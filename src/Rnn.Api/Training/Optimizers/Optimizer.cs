using RnnNative.Models;
using System.Numerics.Tensors;

namespace RnnNative.Training;

/// <summary>
/// Updates parameters from their accumulated gradients. The learning rate of step k (0-based) is
/// <see cref="Schedule"/>(k) when a schedule is set, else <see cref="LearningRate"/>. Per-parameter state (momentum,
/// moments) is keyed by parameter name so that it can be saved with the model and restored.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<string, Tensor<float>[]> _state = [];

    protected Optimizer(double learningRate)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive number.");
        LearningRate = learningRate;
    }

    /// <summary>Short name written into checkpoints: sgd, adam.</summary>
    public abstract string Kind { get; }

    public double LearningRate { get; }

    /// <summary>The learning-rate hook: step index → learning rate (see <see cref="LearningRateSchedules"/>).</summary>
    public Func<int, double>? Schedule { get; set; }

    /// <summary>Steps taken so far.</summary>
    public int StepCount { get; private set; }

    public double CurrentLearningRate => Schedule?.Invoke(StepCount) ?? LearningRate;

    /// <summary>The names of the state tensors each parameter has (momentum; exp_avg, exp_avg_sq).</summary>
    protected abstract string[] SlotNames { get; }

    /// <summary>Hyper-parameters worth saving (momentum, betas, epsilon), besides the learning rate.</summary>
    public abstract IReadOnlyDictionary<string, double> Settings { get; }

    public void Step(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double lr = CurrentLearningRate;
        if (!(lr >= 0) || double.IsInfinity(lr))
            throw new InvalidOperationException($"The learning-rate schedule returned {lr} for step {StepCount}; it must be a finite number ≥ 0.");
        StepCount++;
        foreach (var p in parameters)
        {
            if (!_state.TryGetValue(p.Name, out var slots))
                _state[p.Name] = slots = SlotNames.Select(_ => RnnTensors.Zeros(p.Value.Shape.ToArray())).ToArray();
            Update(p, slots, lr, StepCount);
        }
    }

    /// <summary>Applies one step to one parameter; <paramref name="step"/> counts from 1.</summary>
    protected abstract void Update(Parameter parameter, Tensor<float>[] slots, double learningRate, int step);

    /// <summary>The state as named tensors, "slot.parameter" (e.g. "exp_avg.rnn.weight_ih_l0").</summary>
    public IEnumerable<KeyValuePair<string, Tensor<float>>> ExportState() =>
        _state.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .SelectMany(kv => SlotNames.Select((slot, i) => new KeyValuePair<string, Tensor<float>>($"{slot}.{kv.Key}", kv.Value[i])));

    /// <summary>Restores what <see cref="ExportState"/> produced, and the step count.</summary>
    public void ImportState(IReadOnlyDictionary<string, Tensor<float>> state, int stepCount, IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        _state.Clear();
        foreach (var p in parameters)
        {
            var slots = new Tensor<float>[SlotNames.Length];
            bool any = false;
            for (int i = 0; i < SlotNames.Length; i++)
            {
                if (!state.TryGetValue($"{SlotNames[i]}.{p.Name}", out var t)) continue;
                if (!t.HasShape(p.Value.Shape.ToArray()))
                    throw new ArgumentException($"Optimizer state '{SlotNames[i]}.{p.Name}' has shape {t.ShapeString}; the parameter has {p.Value.ShapeString}.", nameof(state));
                slots[i] = t;
                any = true;
            }
            if (!any) continue;
            for (int i = 0; i < slots.Length; i++) slots[i] ??= RnnTensors.Zeros(p.Value.Shape.ToArray());
            _state[p.Name] = slots;
        }
        StepCount = stepCount;
    }
}
