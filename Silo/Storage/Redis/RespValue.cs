namespace Dio.Silo.Storage.Redis;

/// <summary>One RESP2 reply: a simple string, an error, an integer, a bulk string (null for nil) or an array.</summary>
public sealed record RespValue(char Kind, string? Text = null, long Number = 0, IReadOnlyList<RespValue>? Items = null)
{
    public bool IsError => Kind == '-';

    public bool IsNil => Kind == '$' && Text is null;

    public override string ToString() => Kind switch
    {
        ':' => Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        '*' => $"[{string.Join(", ", Items ?? [])}]",
        _ => Text ?? "(nil)",
    };
}
