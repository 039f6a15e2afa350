using System.Text.RegularExpressions;
using Dio.FrontendApi.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dio.Ui.Tests;

/// <summary>Swagger UI in a real browser: a newcomer's first request works with the pre-filled example as it is.</summary>
[Collection(BrowserSessions.Name)]
public sealed partial class SwaggerUiTests(GatewayFixture gateway, BrowserFixture browser)
{
    [Fact]
    public async Task ChatCompletion_TryItOutThenExecute_ShowsA200FromAWorker()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(gateway.Url, "/swagger/index.html").ToString());
        var operation = page.Locator("#operations-OpenAI-compatible-CreateChatCompletion");

        await operation.Locator(".opblock-summary").ClickAsync();
        await operation.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync();
        var body = operation.Locator("textarea.body-param__text");
        await Expect(body).ToHaveValueAsync(DemoModel());
        Assert.DoesNotContain("additionalProp", await body.InputValueAsync(), StringComparison.Ordinal);
        await operation.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();

        var live = operation.Locator(".live-responses-table");
        await Expect(live.Locator("tr.response td.response-col_status")).ToHaveTextAsync("200");
        await Expect(live).ToContainTextAsync("x-dio-worker");
        await Expect(live).ToContainTextAsync("\"choices\"");
        // From the operation's header down to the live answer; the documented responses below it would triple the height.
        await Screenshots.SaveAsync(page, "swagger-try-it-out.png", operation, live);
    }

    [GeneratedRegex("\"model\": \"meta-llama/Meta-Llama-3-8B-Instruct\"")]
    private static partial Regex DemoModel();
}
