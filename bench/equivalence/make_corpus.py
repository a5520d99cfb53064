#!/usr/bin/env python3
"""Writes a small corpus of awkward trail records (bench/equivalence/compare.sh replays it with two builds).

The reader's replay path checks KMS records with a cheap key pass and leaves the full parse to the spill; this corpus
is where the two paths could differ: missing/odd eventID, eventName, eventTime; numbers where strings are expected;
escapes; invalid UTF-8 in a field the parser reads and in one it does not; a lone surrogate escape; duplicate property
names (last wins); "kms.amazonaws.com" inside a non-KMS record; duplicates; non-object records; invalid JSON inside a
non-KMS record; a truncated file; a bare record.
"""
import gzip, json, os, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
base = {"eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAX", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
        "eventTime": "2024-05-01T10:00:00Z", "eventSource": "kms.amazonaws.com", "eventName": "Decrypt", "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.5", "userAgent": "aws-cli",
        "requestParameters": {"keyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "encryptionContext": {"a": "b"}},
        "readOnly": True, "recipientAccountId": "111122223333"}

def rec(i, **kw):
    r = dict(base)
    r["eventID"] = f"00000000-0000-0000-0000-{i:012d}"
    r.update(kw)
    return r

def enc(r):
    return json.dumps(r).encode()

recs = [enc(rec(1))]
r = rec(2); del r["eventID"]; recs.append(enc(r))
r = rec(3); del r["eventName"]; recs.append(enc(r))
recs.append(enc(rec(4, eventTime="not a time")))
recs.append(enc(rec(5, eventTime=12345)))
recs.append(enc(rec(6, userAgent="a\\\"b\u00e9")))
recs.append(enc(rec(7, eventID=None)))
recs.append(enc(rec(8, eventName=["x"])))
recs.append(enc(rec(9)).replace(b'"aws-cli"', b'"aws-\xff-cli"'))                                  # invalid UTF-8, read field
recs.append(enc(rec(10)).replace(b'"readOnly"', b'"zzz":"\xfe\xff","readOnly"'))                   # invalid UTF-8, unread field
recs.append(enc(rec(11, userAgent="X")).replace(b'"X"', b'"\\ud800"'))                             # lone surrogate escape
recs.append(b'{"eventSource":"s3.amazonaws.com","eventName":"GetObject","note":"kms.amazonaws.com","eventID":"x"}')
recs.append(enc(rec(12)).replace(b'"eventSource": "kms.amazonaws.com"', b'"eventSource": "kms.amazonaws.com", "eventSource": "s3.amazonaws.com"'))
recs.append(enc(rec(13, eventSource="s3.amazonaws.com")).replace(b'"eventSource": "s3.amazonaws.com"', b'"eventSource": "s3.amazonaws.com", "eventSource": "kms.amazonaws.com"'))
recs.append(enc(rec(14)).replace(b'"eventID": "', b'"eventID": "dup-first", "eventID": "'))
recs.append(enc(rec(15, eventID="Odd-ID-15")))
recs.append(enc(rec(16, eventTime="2024-05-01T10:00:00.5+02:00")))
recs.append(enc(rec(17, readOnly="true", eventName="GenerateDataKey")))
recs.append(enc(rec(1)))                                                                            # duplicate of 1
recs.append(b'[1,2]')
recs.append(b'"str"')
name = "111122223333_CloudTrail_us-east-1_20240501T1000Z_{}.json.gz"
with gzip.open(os.path.join(out, name.format("a")), "wb") as f:
    f.write(b'{"Records":[' + b",".join(recs) + b']}')
with gzip.open(os.path.join(out, name.format("b")), "wb") as f:                                    # invalid JSON in a non-KMS record
    f.write(b'{"Records":[' + recs[0] + b',{"eventSource":"s3.amazonaws.com","x":[1,,2]}]}')
with gzip.open(os.path.join(out, name.format("c")), "wb") as f:                                    # truncated
    f.write(b'{"Records":[' + recs[0][:-20])
with open(os.path.join(out, "bare.json"), "wb") as f:
    f.write(enc(rec(20)))
