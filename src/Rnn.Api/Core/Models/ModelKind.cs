namespace RnnNative.Models;

/// <summary>The usage patterns of the lecture notes, as ready models.</summary>
public enum ModelKind
{
    /// <summary>Many-to-one: a label per sequence from its last state.</summary>
    Classifier,
    /// <summary>Many-to-many, synced: a label per step.</summary>
    Tagger,
    /// <summary>One-to-many: next-token prediction, generating by feeding each sample back.</summary>
    Generator,
    /// <summary>Encoder-decoder: the encoder's final state starts the decoder.</summary>
    EncoderDecoder,
}
