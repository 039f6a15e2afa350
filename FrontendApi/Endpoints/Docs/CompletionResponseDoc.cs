namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>A completion (<c>text_completion</c>) as the worker answered it.</summary>
internal sealed record CompletionResponseDoc : AnswerDoc<CompletionChoiceDoc>;
