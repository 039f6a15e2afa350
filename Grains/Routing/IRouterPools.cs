namespace Dio.Grains.Routing;

/// <summary>Gives a worker grain the router pool of its model (the grain factory, seen from a worker).</summary>
internal interface IRouterPools
{
    RouterGrain GetPool(string model);
}
