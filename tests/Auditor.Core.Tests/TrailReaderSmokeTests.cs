using System.Text;
using Auditor.Core.Trail;

namespace Auditor.Core.Tests;

public class TrailReaderSmokeTests
{
    [Fact]
    public void Reads_a_records_array_and_keeps_only_kms_events()
    {
        const string json = """{"Records":[{"eventSource":"s3.amazonaws.com","eventID":"a"},{"eventSource":"kms.amazonaws.com","eventID":"b","eventTime":"2024-01-01T00:00:00Z","eventName":"Decrypt"}]}""";
        var events = new List<KmsEvent>();
        var result = new TrailReader().Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "t.json", events.Add);
        Assert.Null(result.Error);
        Assert.Equal(2, result.RecordsRead);
        Assert.Equal("b", Assert.Single(events).EventId);
    }
}
