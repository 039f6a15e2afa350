using System.Buffers;

namespace Dio.Sidecar.Forwarding;

/// <summary>Copies a response body as it arrives, flushing after every read so server-sent events are never held back.</summary>
public static class StreamCopier
{
    private const int BufferSize = 16 * 1024;

    /// <summary>Returns the bytes copied. Reads that fail surface as the source's exception; the caller decides.</summary>
    public static async Task<long> CopyFlushingAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await destination.FlushAsync(cancellationToken);
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
