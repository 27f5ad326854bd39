namespace RnnNative.Tests.Formats;

/// <summary>A read-only stream that cannot seek, like a pipe.</summary>
internal sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
{
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => base.Position; set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
}
