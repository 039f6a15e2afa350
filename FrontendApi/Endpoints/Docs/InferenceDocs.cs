using System.Text.Json.Nodes;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>Endpoint metadata that marks a routed inference endpoint for <see cref="InferenceOperationFilter"/>, with the
/// examples of its request, its plain answer and its streamed answer.</summary>
internal sealed record InferenceDocs(Func<JsonNode> RequestExample, Func<JsonNode> ResponseExample, string StreamExample);
