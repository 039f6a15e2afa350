namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>A chat completion (<c>chat.completion</c>) as the worker answered it (the gateway relays the bytes; headers name the worker).</summary>
internal sealed record ChatCompletionResponseDoc : AnswerDoc<ChatChoiceDoc>;
