namespace Dio.Grains.Routing;

/// <summary>
/// A request parked in a pool's gateway queue. The pool resolves it under its turn when room frees up, so
/// <see cref="Resolve"/> must only record the outcome and return (the live router completes a task whose
/// continuation runs elsewhere; the simulator appends to its event list).
/// </summary>
internal abstract class GatewayWaiter(RouteRequest request)
{
    public RouteRequest Request { get; } = request;

    internal LinkedListNode<GatewayWaiter>? Node { get; set; }

    public abstract void Resolve(in RouteOutcome outcome);
}
