namespace RnnNative.Validation;

/// <summary>Everything one run needs: the model's parameters, the batch and, for training, the gradients flowing into the outputs.</summary>
public sealed record ValidationInputs(RnnParameters Parameters, RnnInput Input, RnnOutputGradients? OutputGradients)
{
    public RnnMode Mode => OutputGradients is null ? RnnMode.Inference : RnnMode.Training;

    /// <summary>A deep copy, so that a backend that writes into its inputs cannot change what another backend sees.</summary>
    public ValidationInputs DeepCopy() => new(
        Parameters.Clone(),
        Input with
        {
            Input = Input.Input.Clone(),
            Lengths = (int[]?)Input.Lengths?.Clone(),
            InitialHidden = Input.InitialHidden?.Clone(),
            InitialCell = Input.InitialCell?.Clone(),
        },
        OutputGradients is null ? null : new RnnOutputGradients(OutputGradients.Output?.Clone(), OutputGradients.Hidden?.Clone(), OutputGradients.Cell?.Clone()));
}
