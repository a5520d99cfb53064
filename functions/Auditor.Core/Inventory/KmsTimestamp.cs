using System.Globalization;
using System.Text.Json;

namespace Auditor.Core.Inventory;

/// <summary>
/// KMS timestamps in both forms users hand us: the API's epoch seconds (<c>1.499288695918E9</c>) and the ISO 8601
/// strings the AWS CLI prints (<c>2017-07-05T14:04:55-07:00</c>).
/// </summary>
public static class KmsTimestamp
{
    /// <summary>Reads a JSON number of epoch seconds or an ISO 8601 string with an offset (none means UTC).</summary>
    public static bool TryRead(JsonElement value, out DateTimeOffset time)
    {
        time = default;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDouble(out var seconds)
                                           && seconds is >= -62135596800d and <= 253402300799d:
                // Millisecond precision is all KMS gives; rounding keeps 1.499288695918E9 exact.
                time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000d));
                return true;
            case JsonValueKind.String:
                return DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
            default:
                return false;
        }
    }

    /// <summary>The form the writer uses: ISO 8601 in UTC, fractional seconds only when present.</summary>
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
