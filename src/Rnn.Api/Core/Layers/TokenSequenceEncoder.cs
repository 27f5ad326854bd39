using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>Token ids → vectors (<see cref="ITokenInput"/>) → RNN: the front every ready model shares.</summary>
public sealed class TokenSequenceEncoder : IDisposable
{
    public TokenSequenceEncoder(ITokenInput input, RecurrentLayer rnn)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(rnn);
        if (input.OutputSize != rnn.Spec.InputSize)
            throw new ArgumentException($"The token input produces {input.OutputSize}-wide vectors but the RNN reads {rnn.Spec.InputSize}.", nameof(rnn));
        Input = input;
        Rnn = rnn;
    }

    public ITokenInput Input { get; }
    public RecurrentLayer Rnn { get; }
    public IEnumerable<Parameter> Parameters => Input.Parameters.Concat(Rnn.Parameters);

    public RecurrentPass Forward(TokenBatch batch, RecurrentState? initial, bool training)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var x = Input.Forward(batch.Ids);
        return Rnn.Forward(x.WithShape(batch.SeqLen, batch.Batch, Input.OutputSize), batch.Lengths, initial, training);
    }

    /// <summary>Backpropagates into the RNN and the token input; returns the gradient of the initial state.</summary>
    public RecurrentState Backward(TokenBatch batch, RecurrentPass pass, Tensor<float>? gradOutput, Tensor<float>? gradHidden, Tensor<float>? gradCell)
    {
        var (dx, initial) = Rnn.Backward(pass, gradOutput, gradHidden, gradCell);
        Input.Backward(batch.Ids, dx.WithShape(batch.Ids.Length, Input.OutputSize));
        return initial;
    }

    public void Dispose() => Rnn.Dispose();
}
