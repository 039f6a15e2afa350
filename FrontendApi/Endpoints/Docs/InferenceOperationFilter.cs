using System.Text.Json.Nodes;
using Dio.FrontendApi.Inference;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>
/// Completes the operations marked <see cref="InferenceDocs"/>: DIO's request headers as parameters, the response headers
/// every answer carries, a request example "Try it out" pre-fills, and an example of each answer and error.
/// </summary>
internal sealed class InferenceOperationFilter : IOperationFilter
{
    private const string Json = "application/json";
    private const string EventStream = "text/event-stream";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<InferenceDocs>().FirstOrDefault() is not { } docs)
        {
            return;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(Header(InferenceProxy.TierHeader,
            "Service class: `interactive` (the default; a person is waiting) is scored on time to first token, TTFT objective 2 s by default; " +
            "`batch` on end-to-end time, 30 s.",
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("interactive"), JsonValue.Create("batch")] }));
        operation.Parameters.Add(Header(InferenceProxy.SloHeader,
            "Time-to-first-token objective in ms (1 to 3600000), instead of the tier's. One that even an idle worker is predicted to miss " +
            "is a 400 (`slo_unattainable`); while no worker can take the request it waits in a bounded queue until this deadline, then is shed (503).",
            new OpenApiSchema { Type = JsonSchemaType.Number, Minimum = "1", Maximum = "3600000" }));
        operation.Parameters.Add(Header(RequestIds.Header,
            $"Your id for the request (1 to {RequestIds.MaxLength} letters, digits or `-_.:`), passed to the worker and written in DIO's logs; " +
            "a new one is made when absent. Echoed on the answer.",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = $"^[A-Za-z0-9._:-]{{1,{RequestIds.MaxLength}}}$" }));

        if (operation.RequestBody?.Content?.TryGetValue(Json, out var body) == true && body is OpenApiMediaType requestBody)
        {
            requestBody.Example = docs.RequestExample();
        }

        foreach (var (code, response) in operation.Responses ?? [])
        {
            if (response is OpenApiResponse answer)
            {
                Describe(code, answer, docs);
            }
        }
    }

    private static void Describe(string code, OpenApiResponse response, InferenceDocs docs)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        if (code != "415")   // content-type matching answers 415 before the handler gives the request an id
        {
            response.Headers[RequestIds.Header] = ResponseHeader("The request's id (yours, or the one DIO made).", JsonSchemaType.String);
        }
        if (code == "200")
        {
            response.Description = "The worker's answer, relayed as it streams: JSON, or server-sent events when `stream` is true.";
            response.Headers[InferenceProxy.WorkerHeader] = ResponseHeader("The worker that served the request.", JsonSchemaType.String);
            response.Headers[InferenceProxy.PredictedTtftHeader] = ResponseHeader(
                "The time to first token DIO predicted for this request on that worker (ms), the wait in its queue included.", JsonSchemaType.Number);
            SetExample(response, Json, docs.ResponseExample());
            if (response.Content?.TryGetValue(EventStream, out var stream) == true && stream is OpenApiMediaType events)
            {
                events.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "`data: {chunk}` events, then `data: [DONE]`." };
                events.Example = JsonValue.Create(docs.StreamExample);
            }

            return;
        }

        var status = int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
        response.Description = status switch
        {
            StatusCodes.Status400BadRequest => "The request is invalid (a field, a header, the JSON itself), does not fit the model's context " +
                "(`context_length_exceeded`), asks for a TTFT objective no worker can meet (`slo_unattainable`), or the worker refused it.",
            StatusCodes.Status404NotFound => "No healthy worker serves this model (`model_not_found`).",
            StatusCodes.Status413PayloadTooLarge => $"The body is larger than {InferenceProxy.MaxBodyBytes / (1024 * 1024)} MiB.",
            StatusCodes.Status415UnsupportedMediaType => "The body is not `application/json`.",
            StatusCodes.Status503ServiceUnavailable => "Shed instead of letting a worker thrash: every worker is busy, every worker tried failed " +
                "before its first byte, the control plane is unreachable, or this gateway is shutting down. Retry after Retry-After.",
            _ => response.Description,
        };
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers["Retry-After"] = ResponseHeader("Seconds to wait before retrying.", JsonSchemaType.Integer);
        }

        SetExample(response, Json, DocExamples.Error(status));
    }

    private static void SetExample(OpenApiResponse response, string contentType, JsonNode example)
    {
        if (response.Content?.TryGetValue(contentType, out var media) == true && media is OpenApiMediaType content)
        {
            content.Example = example;
        }
    }

    private static OpenApiParameter Header(string name, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Header, Required = false, Description = description, Schema = schema };

    private static OpenApiHeader ResponseHeader(string description, JsonSchemaType type) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = type } };
}
