using System.Text.Json.Nodes;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>Endpoint metadata that marks a routed inference endpoint for <see cref="InferenceOperationFilter"/>, with the
/// examples of its request and its plain (non-streamed) answer.</summary>
internal sealed record InferenceDocs(Func<JsonNode> RequestExample, Func<JsonNode> ResponseExample);
