using System.Globalization;

namespace Dio.Silo.Storage.Redis;

/// <summary>
/// Where Redis is and how to log in, from a StackExchange-style connection string:
/// <c>host:port[,password=…][,user=…][,ssl=true][,database=N]</c>. Azure Cache for Redis uses port 6380 with TLS.
/// </summary>
public sealed record RedisEndpoint(string Host, int Port, string? User, string? Password, bool Ssl, int Database)
{
    public static RedisEndpoint Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parts = connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var address = parts[0];
        var colon = address.LastIndexOf(':');
        var host = colon > 0 ? address[..colon] : address;
        var port = colon > 0 ? int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture) : 6379;
        string? user = null, password = null;
        bool? ssl = null;
        var database = 0;
        foreach (var option in parts.Skip(1))
        {
            var equals = option.IndexOf('=');
            if (equals <= 0)
            {
                throw new FormatException($"Redis option '{option}' is not name=value.");
            }

            var (name, value) = (option[..equals].Trim().ToLowerInvariant(), option[(equals + 1)..].Trim());
            switch (name)
            {
                case "password":
                    password = value;
                    break;
                case "user":
                    user = value;
                    break;
                case "ssl":
                    ssl = bool.Parse(value);
                    break;
                case "database" or "defaultdatabase":
                    database = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    break;   // StackExchange options we do not need (abortConnect, connectTimeout …)
            }
        }

        return new RedisEndpoint(host, port, user, password, ssl ?? port == 6380, database);
    }

    /// <summary>For logs: never the password.</summary>
    public override string ToString() => $"{Host}:{Port}{(Ssl ? " (TLS)" : string.Empty)}";
}
