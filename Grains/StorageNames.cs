namespace Dio.Grains;

/// <summary>Names of the grain storage providers DIO's grains use.</summary>
public static class StorageNames
{
    /// <summary>Worker and fleet state: memory by default, Redis in production.</summary>
    public const string Dio = "dio";
}
