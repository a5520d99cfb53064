using System.Net;

namespace Auditor.Functions.Ingest;

/// <summary>
/// Object keys in S3 event notifications are URL-encoded in form style: "red flower.jpg" arrives as
/// <c>red+flower.jpg</c>, a literal plus as <c>%2B</c> (S3 User Guide, "Event message structure"). EventBridge
/// events carry the key as it is, so they must not go through here: decoding <c>my+file</c> from EventBridge
/// would ask S3 for <c>my file</c>, an object that does not exist.
/// </summary>
public static class S3KeyDecoder
{
    /// <summary>Decodes a notification key: <c>+</c> is a space, <c>%XX</c> a UTF-8 byte.</summary>
    public static string DecodeNotificationKey(string encoded) => WebUtility.UrlDecode(encoded);
}
