using Dio.FrontendApi.Tests;

namespace Dio.Ui.Tests;

/// <summary>The UI tests share one gateway with its fleet and one browser, and run one after another (each is a whole
/// browser session; on a small CI machine running them at once only makes each slower).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserSessions : ICollectionFixture<GatewayFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "ui";
}
