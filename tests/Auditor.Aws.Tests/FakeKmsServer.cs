using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;

namespace Auditor.Aws.Tests;

/// <summary>
/// A loopback KMS speaking the JSON 1.1 protocol (<c>POST /</c>, <c>X-Amz-Target: TrentService.&lt;Operation&gt;</c>,
/// <c>application/x-amz-json-1.1</c>) from fixture files in the API reference's shapes (see
/// tests/fixtures/inventory/kms-api/README.md), with pages smaller than the client asks for so that every list is
/// paginated, errors as KMS sends them (HTTP 400, <c>__type</c>), and just enough STS (query protocol) for AssumeRole.
/// The region of each request is taken from its SigV4 credential scope, as a real regional endpoint implies it.
/// </summary>
internal sealed class FakeKmsServer : IAsyncDisposable
{
    public const string AssumedAccessKeyId = "ASIAEXAMPLEASSUMED01";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Dictionary<string, RegionData> _regions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _throttleRemaining = new(StringComparer.Ordinal);

    public int KeysPerPage { get; init; } = 2;
    public int GrantsPerPage { get; init; } = 1;
    public int AliasesPerPage { get; init; } = 2;

    /// <summary>Answer ListKeys with AccessDenied (an auditor with no access at all).</summary>
    public bool DenyListKeys { get; init; }

    /// <summary>Answer ListKeys with AccessDenied in this region only.</summary>
    public string? DenyListKeysInRegion { get; init; }

    /// <summary>Answer GetKeyLastUsage as an endpoint that does not know the operation.</summary>
    public bool LastUsageUnknown { get; init; }

    /// <summary>Every request seen: (operation, region, access key id, body).</summary>
    public ConcurrentQueue<(string Operation, string Region, string AccessKeyId, string Body)> Requests { get; } = new();

    public string Url { get; }

    public FakeKmsServer(params string[] fixtureFiles)
    {
        foreach (var file in fixtureFiles)
        {
            Load(file);
        }
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The next <paramref name="times"/> calls of <paramref name="operation"/> get ThrottlingException.</summary>
    public void Throttle(string operation, int times = 1) => _throttleRemaining[operation] = times;

    public int Calls(string operation) => _calls.GetValueOrDefault(operation);

    private sealed class RegionData
    {
        public List<JsonObject> Keys { get; } = [];
        public List<JsonNode> Aliases { get; } = [];
    }

    private void Load(string file)
    {
        var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        var region = root["Region"]?.GetValue<string>() ?? "us-west-2";
        if (!_regions.TryGetValue(region, out var data))
        {
            _regions[region] = data = new RegionData();
        }
        foreach (var key in root["Keys"]!.AsArray())
        {
            data.Keys.Add(key!.AsObject());
        }
        foreach (var alias in root["ListAliases"]?["Aliases"]?.AsArray() ?? [])
        {
            data.Aliases.Add(alias!.DeepClone());
        }
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Serve(context));
        }
    }

    private void Serve(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = reader.ReadToEnd();
            var (region, accessKey) = Scope(context.Request.Headers["Authorization"]);
            var target = context.Request.Headers["X-Amz-Target"];
            if (target is null && body.Contains("Action=AssumeRole", StringComparison.Ordinal))
            {
                Requests.Enqueue(("sts:AssumeRole", region, accessKey, body));
                AnswerAssumeRole(context, body);
                return;
            }
            if (target is null || !target.StartsWith("TrentService.", StringComparison.Ordinal)
                || context.Request.HttpMethod != "POST"
                || context.Request.ContentType?.StartsWith("application/x-amz-json-1.1", StringComparison.Ordinal) != true)
            {
                Error(context, 400, "UnknownOperationException", $"not a KMS JSON 1.1 request: {target} {context.Request.ContentType}");
                return;
            }
            var operation = target["TrentService.".Length..];
            Requests.Enqueue((operation, region, accessKey, body));
            _calls.AddOrUpdate(operation, 1, (_, n) => n + 1);

            if (_throttleRemaining.TryGetValue(operation, out var remaining) && remaining > 0
                && _throttleRemaining.TryUpdate(operation, remaining - 1, remaining))
            {
                Error(context, 400, "ThrottlingException", "Rate exceeded");
                return;
            }

            var request = JsonNode.Parse(body.Length == 0 ? "{}" : body)!.AsObject();
            var data = _regions.GetValueOrDefault(region) ?? new RegionData();
            Answer(context, operation, request, data, region);
        }
        catch (Exception e)
        {
            Error(context, 500, "KMSInternalException", "fake server fault: " + e.Message);
        }
    }

    private void Answer(HttpListenerContext context, string operation, JsonObject request, RegionData data, string region)
    {
        switch (operation)
        {
            case "ListKeys":
                if (DenyListKeys || region == DenyListKeysInRegion)
                {
                    Error(context, 400, "AccessDeniedException", "User: arn:aws:iam::111122223333:user/nobody is not authorized to perform: kms:ListKeys on resource: * because no identity-based policy allows the kms:ListKeys action");
                    return;
                }
                var entries = data.Keys.Select(k =>
                {
                    var id = k["KeyId"]!.GetValue<string>();
                    return (JsonNode)new JsonObject { ["KeyId"] = id, ["KeyArn"] = ArnOf(k) };
                }).ToList();
                Page(context, request, entries, "Keys", KeysPerPage);
                return;
            case "ListAliases":
                Page(context, request, data.Aliases.Select(a => a.DeepClone()).ToList(), "Aliases", AliasesPerPage);
                return;
            case "GetKeyLastUsage" when LastUsageUnknown:
                Error(context, 400, "UnknownOperationException", null);
                return;
        }

        var keyId = request["KeyId"]?.GetValue<string>();
        var key = data.Keys.FirstOrDefault(k => k["KeyId"]!.GetValue<string>() == keyId || ArnOf(k) == keyId);
        if (key is null)
        {
            Error(context, 400, "NotFoundException", $"Key '{keyId}' does not exist");
            return;
        }
        if (operation == "GetKeyPolicy" && request["PolicyName"]?.GetValue<string>() is { } name && name != "default")
        {
            Error(context, 400, "NotFoundException", "No such policy exists");
            return;
        }
        var answer = key[operation];
        if (answer is null)
        {
            // Unconfigured optional operations answer as KMS does for a key with nothing to say.
            answer = operation switch
            {
                "ListResourceTags" => new JsonObject { ["Tags"] = new JsonArray(), ["Truncated"] = false },
                "ListGrants" => new JsonObject { ["Grants"] = new JsonArray(), ["Truncated"] = false },
                "GetKeyRotationStatus" => new JsonObject { ["KeyId"] = ArnOf(key), ["KeyRotationEnabled"] = false },
                "GetKeyLastUsage" => new JsonObject { ["KeyId"] = ArnOf(key), ["KeyLastUsage"] = new JsonObject() },
                _ => null,
            };
        }
        if (answer is null)
        {
            Error(context, 400, "UnsupportedOperationException", $"{operation} is not answered by this fixture");
            return;
        }
        if (answer["__error"] is { } fault)
        {
            Error(context, fault["status"]!.GetValue<int>(), fault["__type"]!.GetValue<string>(), fault["message"]?.GetValue<string>());
            return;
        }
        if (operation == "ListGrants")
        {
            Page(context, request, answer["Grants"]!.AsArray().Select(g => g!.DeepClone()).ToList(), "Grants", GrantsPerPage);
            return;
        }
        Json(context, 200, answer.ToJsonString());
    }

    private static string ArnOf(JsonObject key) =>
        key["DescribeKey"]?["KeyMetadata"]?["Arn"]?.GetValue<string>()
        ?? $"arn:aws:kms:us-west-2:111122223333:key/{key["KeyId"]!.GetValue<string>()}";

    /// <summary>Answers one page; the marker is opaque to the client (base64 of the next index), as KMS's are.</summary>
    private static void Page(HttpListenerContext context, JsonObject request, List<JsonNode> items, string field, int pageSize)
    {
        var start = 0;
        if (request["Marker"]?.GetValue<string>() is { } marker)
        {
            if (!int.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(marker)), out start) || start < 0 || start > items.Count)
            {
                Error(context, 400, "InvalidMarkerException", "The request contains an invalid marker.");
                return;
            }
        }
        var limit = request["Limit"]?.GetValue<int>() ?? int.MaxValue;
        var size = Math.Min(pageSize, limit);
        var page = items.Skip(start).Take(size).ToList();
        var response = new JsonObject { [field] = new JsonArray([.. page]) };
        var next = start + page.Count;
        response["Truncated"] = next < items.Count;
        if (next < items.Count)
        {
            response["NextMarker"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        Json(context, 200, response.ToJsonString());
    }

    private static void AnswerAssumeRole(HttpListenerContext context, string body)
    {
        var form = HttpUtility.ParseQueryString(body);
        var roleArn = form["RoleArn"] ?? "";
        var session = form["RoleSessionName"] ?? "";
        var xml = $"""
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <AssumedRoleUser>
                  <Arn>{roleArn.Replace(":iam::", ":sts::", StringComparison.Ordinal).Replace(":role/", ":assumed-role/", StringComparison.Ordinal)}/{session}</Arn>
                  <AssumedRoleId>AROA3XFRBF535EXAMPLE:{session}</AssumedRoleId>
                </AssumedRoleUser>
                <Credentials>
                  <AccessKeyId>{AssumedAccessKeyId}</AccessKeyId>
                  <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</SecretAccessKey>
                  <SessionToken>FwoGZXIvYXdzEXAMPLETOKEN</SessionToken>
                  <Expiration>{DateTime.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}</Expiration>
                </Credentials>
              </AssumeRoleResult>
              <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
            </AssumeRoleResponse>
            """;
        Write(context, 200, "text/xml", xml);
    }

    private static (string Region, string AccessKeyId) Scope(string? authorization)
    {
        // AWS4-HMAC-SHA256 Credential=AKID/20240301/us-west-2/kms/aws4_request, SignedHeaders=..., Signature=...
        const string marker = "Credential=";
        var at = authorization?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return ("", "");
        }
        var scope = authorization![(at + marker.Length)..].Split(',')[0].Split('/');
        return scope.Length >= 3 ? (scope[2], scope[0]) : ("", "");
    }

    private static void Error(HttpListenerContext context, int status, string type, string? message)
    {
        context.Response.Headers["x-amzn-ErrorType"] = type;
        var body = new JsonObject { ["__type"] = type };
        if (message is not null)
        {
            body["message"] = message;
        }
        Json(context, status, body.ToJsonString());
    }

    private static void Json(HttpListenerContext context, int status, string json) =>
        Write(context, status, "application/x-amz-json-1.1", json);

    private static void Write(HttpListenerContext context, int status, string contentType, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.ConfigureAwait(false);
    }
}
