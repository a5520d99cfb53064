using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Auditor.Core.Trail;

/// <summary>Receives one KMS record: the materialised event and the record's JSON bytes (valid only during the call).</summary>
public delegate void KmsRecordHandler(KmsEvent kmsEvent, ReadOnlySpan<byte> recordJson);

/// <summary>
/// Receives one KMS record without its materialised event: the record's event id and time and its JSON bytes (valid
/// only during the call). The record has passed every check <see cref="TrailRecordParser.Parse"/> makes, so parsing
/// the bytes later cannot fail: a host that keeps them (replay's spill) materialises each event once, when it is used.
/// </summary>
public delegate void KmsRecordKeyHandler(string eventId, DateTimeOffset eventTime, ReadOnlySpan<byte> recordJson);

/// <summary>
/// Streams a CloudTrail log object record by record. The file is never held as one DOM: the reader
/// walks the <c>Records</c> array with <see cref="Utf8JsonReader"/>, counts every record, and
/// materialises only the ones whose <c>eventSource</c> is <c>kms.amazonaws.com</c> (a cheap byte search
/// rules most records out before any parsing). Gzip is detected by its magic bytes, not by name.
/// </summary>
/// <remarks>
/// Accepts <c>{"Records":[...]}</c> (what CloudTrail delivers) and a single bare record (what the AWS
/// documentation prints). Digest files and other JSON are classified and skipped, never an error.
/// A fault mid-file keeps every record delivered before it and is reported with its byte offset.
/// </remarks>
public sealed class TrailReader(TrailReaderLimits? limits = null)
{
    private readonly TrailReaderLimits _limits = limits ?? TrailReaderLimits.Default;

    /// <summary>Reads one object; <paramref name="onKmsEvent"/> receives each KMS record in file order.</summary>
    public TrailReadResult Read(Stream input, string source, Action<KmsEvent> onKmsEvent) =>
        Read(input, source, (e, _) => onKmsEvent(e));

    /// <summary>
    /// Reads one object; <paramref name="onKmsRecord"/> receives each KMS record in file order together with the
    /// record's exact JSON bytes (valid only during the call), so a host can keep the record compactly — for
    /// example spill it to disk — instead of holding the materialised event.
    /// </summary>
    public TrailReadResult Read(Stream input, string source, KmsRecordHandler onKmsRecord) =>
        Read(input, source, new Scan(_limits, source, onKmsRecord, null));

    /// <summary>
    /// Reads one object; <paramref name="onKmsRecord"/> receives each KMS record's id, time and JSON bytes in file order,
    /// with the same counts and errors as the other overloads, but without materialising the events (most KMS
    /// records are only checked for the fields ordering needs; see <see cref="KmsRecordKeyHandler"/>).
    /// </summary>
    public TrailReadResult Read(Stream input, string source, KmsRecordKeyHandler onKmsRecord) =>
        Read(input, source, new Scan(_limits, source, null, onKmsRecord));

    private TrailReadResult Read(Stream input, string source, Scan scan)
    {
        string? error = null;
        BoundedStream? bounded = null;
        try
        {
            bounded = new BoundedStream(ContentStream.Open(input), _limits.MaxDecompressedBytes);
            scan.Run(bounded);
        }
        catch (TrailFormatException e) { error = e.Message; }
        catch (JsonException e) { error = scan.Describe(e); }
        catch (InvalidDataException e) { error = $"corrupt gzip data: {e.Message}"; }
        catch (DecoderFallbackException) { error = "invalid UTF-8 in the JSON text"; }
        catch (IOException e) { error = $"read failed: {e.Message}"; }
        catch (InvalidOperationException e) { error = $"invalid JSON: {e.Message}"; }
        finally
        {
            scan.Release();
        }

        return new TrailReadResult
        {
            Source = source,
            Kind = scan.Kind,
            RecordsRead = scan.Records,
            KmsRecords = scan.KmsRecords,
            BytesRead = bounded?.Position64 ?? 0,
            RecordErrors = scan.Errors,
            Error = error,
        };
    }

    private enum Mode { Top, TopOther, TopObject, Records, AfterRecords, Done }

    /// <summary>The state of one pass over one stream: a growable window of bytes and the JSON reader's state.</summary>
    private sealed class Scan(TrailReaderLimits limits, string source, KmsRecordHandler? onKmsRecord, KmsRecordKeyHandler? onKmsKey)
    {
        private static ReadOnlySpan<byte> KmsSource => "\"kms.amazonaws.com\""u8;

        private byte[] _buf = ArrayPool<byte>.Shared.Rent(64 * 1024);
        private int _start;       // first byte not yet consumed
        private int _end;         // end of valid bytes
        private bool _eof;
        private long _base;       // absolute offset of _buf[0], for error messages
        private int _pin = -1;    // start of the top-level object while it may still be a bare record
        private bool _hasEventVersion, _hasEventTime;
        private Mode _mode = Mode.Top;
        private JsonReaderState _state;
        private readonly JsonReaderOptions _options = new() { MaxDepth = limits.MaxDepth, CommentHandling = JsonCommentHandling.Disallow };

        public TrailFileKind Kind { get; private set; } = TrailFileKind.NotCloudTrail;
        public long Records { get; private set; }
        public long KmsRecords { get; private set; }
        public List<RecordError> Errors { get; } = [];

        public void Run(Stream stream)
        {
            _state = new JsonReaderState(_options);
            while (_mode != Mode.Done)
            {
                var reader = new Utf8JsonReader(_buf.AsSpan(_start, _end - _start), _eof, _state);
                int committed = 0;
                JsonReaderState committedState = _state;
                bool needMore = Step(ref reader, ref committed, ref committedState);
                _start += committed;
                _state = committedState;
                if (_mode == Mode.Done) break;
                if (needMore)
                {
                    if (_eof) throw new TrailFormatException($"truncated JSON at byte {_base + _end:N0}");
                    // Nothing the reader must hold at once (a record, a top-level value, a run of white space) may
                    // exceed the record bound: this keeps the buffer, and the time spent re-scanning it, bounded.
                    if (_end - _start > limits.MaxRecordBytes)
                        throw new TrailFormatException($"a JSON value at byte {_base + _start:N0} (record {Records:N0}) is larger than the limit of {limits.MaxRecordBytes:N0} bytes");
                    Refill(stream);
                }
            }
        }

        /// <summary>Advances as far as the bytes at hand allow; returns true when more input is needed.</summary>
        private bool Step(ref Utf8JsonReader reader, ref int committed, ref JsonReaderState committedState)
        {
            while (true)
            {
                switch (_mode)
                {
                    case Mode.Top:
                        if (!reader.Read()) return true;
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            // An array or a scalar: not a trail, but read on so invalid JSON is still reported.
                            if (reader.TokenType == JsonTokenType.StartArray && !reader.TrySkip()) return true;
                            _mode = Mode.TopOther;
                        }
                        else
                        {
                            _pin = _start + (int)reader.TokenStartIndex;
                            _mode = Mode.TopObject;
                        }
                        break;

                    case Mode.TopOther:
                        if (!reader.Read())
                        {
                            if (!_eof) return true;
                            _mode = Mode.Done;
                            return false;
                        }
                        throw new TrailFormatException("invalid JSON: more than one value at the top level");

                    case Mode.TopObject:
                    case Mode.AfterRecords:
                    {
                        if (!reader.Read()) return true;
                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            if (_mode == Mode.TopObject) FinishTopObject(_start + (int)reader.BytesConsumed);
                            _mode = Mode.TopOther; // only white space may follow
                            break;
                        }
                        // A property name: decide by name, then consume its value whole.
                        bool isRecords = reader.ValueTextEquals("Records"u8);
                        if (_mode == Mode.TopObject && (reader.ValueTextEquals("digestStartTime"u8) || reader.ValueTextEquals("logFiles"u8) || reader.ValueTextEquals("previousDigestSignature"u8)))
                        {
                            Kind = TrailFileKind.Digest;
                            _mode = Mode.Done;
                            return false;
                        }
                        if (reader.ValueTextEquals("eventVersion"u8)) _hasEventVersion = true;
                        if (reader.ValueTextEquals("eventTime"u8)) _hasEventTime = true;
                        if (!reader.Read()) return true;
                        if (isRecords && _mode == Mode.TopObject)
                        {
                            if (reader.TokenType != JsonTokenType.StartArray)
                                throw new TrailFormatException("\"Records\" is not an array");
                            Kind = TrailFileKind.Log;
                            _pin = -1;
                            _mode = Mode.Records;
                        }
                        else if ((reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) && !reader.TrySkip())
                        {
                            return true;
                        }
                        break;
                    }

                    case Mode.Records:
                    {
                        if (!reader.Read()) return true;
                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            _mode = Mode.AfterRecords;
                            break;
                        }
                        int recStart = _start + (int)reader.TokenStartIndex;
                        var token = reader.TokenType;
                        if (token is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                        {
                            if (_end - recStart > limits.MaxRecordBytes)
                                throw new TrailFormatException($"record {Records:N0} is larger than the limit of {limits.MaxRecordBytes:N0} bytes");
                            return true;
                        }
                        if (++Records > limits.MaxRecordsPerObject)
                            throw new TrailFormatException($"more than {limits.MaxRecordsPerObject:N0} records in one object");
                        if (token == JsonTokenType.StartObject)
                            HandleRecord(Records - 1, recStart, _start + (int)reader.BytesConsumed);
                        else
                            Errors.Add(new RecordError(Records - 1, $"record is a JSON {token}, not an object"));
                        break;
                    }
                }
                committed = (int)reader.BytesConsumed;
                committedState = reader.CurrentState;
            }
        }

        private void HandleRecord(long index, int from, int to)
        {
            var span = _buf.AsSpan(from, to - from);
            if (span.IndexOf(KmsSource) < 0) return; // not KMS: counted, never parsed
            try
            {
                if (onKmsKey is not null)
                {
                    // The cheap path: the fields ordering needs, checked exactly as the full parse checks them.
                    var outcome = TrailRecordParser.ReadKey(span, limits.MaxDepth, out var id, out var name, out var time);
                    if (outcome == TrailRecordParser.KeyReadOutcome.NotKms) return;
                    if (outcome == TrailRecordParser.KeyReadOutcome.Kms)
                    {
                        KmsRecords++; // counted before its checks, as the full parse path counts it
                        var (eventId, _, eventTime) = TrailRecordParser.Require(id, name, time);
                        onKmsKey(eventId, eventTime, span);
                        return;
                    }
                }
                using var doc = JsonDocument.Parse(_buf.AsMemory(from, to - from), new JsonDocumentOptions { MaxDepth = limits.MaxDepth });
                var root = doc.RootElement;
                if (!TrailRecordParser.IsKms(root)) return;
                KmsRecords++;
                var e = TrailRecordParser.Parse(root, source);
                if (onKmsKey is not null) onKmsKey(e.EventId, e.EventTime, span);
                else onKmsRecord!(e, span);
            }
            catch (TrailFormatException e) { Errors.Add(new RecordError(index, e.Message)); }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                // A backstop: a value no field parser anticipated costs its record, never the file.
                Errors.Add(new RecordError(index, $"unusable value: {e.Message}"));
            }
            catch (JsonException e) { Errors.Add(new RecordError(index, $"invalid JSON: {e.Message}")); }
            catch (InvalidOperationException e) { Errors.Add(new RecordError(index, e.Message)); }
        }

        /// <summary>A top-level object without <c>Records</c>: a bare record (as the AWS docs print them) or not a trail.</summary>
        private void FinishTopObject(int objectEnd)
        {
            if (_pin < 0 || !_hasEventVersion || !_hasEventTime) return;
            Kind = TrailFileKind.Log;
            Records = 1;
            HandleRecord(0, _pin, objectEnd);
        }

        private void Refill(Stream stream)
        {
            int keep = _pin >= 0 ? Math.Min(_pin, _start) : _start;
            if (_pin >= 0 && _end - _pin > limits.MaxRecordBytes) { _pin = -1; keep = _start; } // too large to be one record
            if (keep > 0)
            {
                Buffer.BlockCopy(_buf, keep, _buf, 0, _end - keep);
                _base += keep;
                _end -= keep;
                _start -= keep;
                if (_pin >= 0) _pin -= keep;
            }
            if (_end == _buf.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(_buf.Length * 2);
                Buffer.BlockCopy(_buf, 0, bigger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buf);
                _buf = bigger;
            }
            int n = stream.Read(_buf, _end, _buf.Length - _end);
            if (n == 0) _eof = true;
            _end += n;
        }

        public string Describe(JsonException e) =>
            _end == 0 && _eof ? "empty file"
            : _eof && (e.Message.Contains("end of data", StringComparison.Ordinal) || e.Message.Contains("end of the JSON payload", StringComparison.Ordinal) || e.Message.Contains("does not contain any", StringComparison.Ordinal))
                ? $"truncated JSON: the data ends at byte {_base + _end:N0}, inside record {Records:N0}"
            : $"invalid JSON near byte {_base + _start + (e.BytePositionInLine ?? 0):N0} (record {Records:N0}): {Trim(e.Message)}";

        private static string Trim(string message)
        {
            int i = message.IndexOf(" Path:", StringComparison.Ordinal);
            return i > 0 ? message[..i] : message;
        }

        public void Release()
        {
            ArrayPool<byte>.Shared.Return(_buf);
            _buf = [];
        }
    }
}
