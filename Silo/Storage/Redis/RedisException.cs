namespace Dio.Silo.Storage.Redis;

/// <summary>Redis answered with an error (-ERR …), or could not be reached after every retry.</summary>
public sealed class RedisException(string message, Exception? inner = null) : Exception(message, inner);
