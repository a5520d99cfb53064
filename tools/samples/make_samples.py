#!/usr/bin/env python3
"""Generates sample-events/: realistic CloudTrail trails for the KMS Trail Auditor, one folder per scenario.

Deterministic (seeded per scenario, gzip mtime=0): running it again reproduces the committed files byte for byte.
Python 3.9+ standard library only.

    python3 tools/samples/make_samples.py [--out sample-events]

Each scenario function tells a story with CloudTrail records and states, next to each event, the findings it must
(or must not) give under ../shared/CONTRACT.md section 6. render.py writes the files, expected-findings.json and the
README from that single source, so the documentation can never drift from the data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ctgen import (  # noqa: E402
    ADMIN_ACTIONS, BOTO_UA, EXTERNAL, JAVA_UA, LAMBDA_UA, MAIN, ORG_ID, OTHER, USER_ACTIONS, Role, Scenario, aws_account,
    aws_service, human_date, iam_user, iso, policy, root_user, stmt_admins, stmt_grants, stmt_root, stmt_users,
)
from render import index_readme, write_scenario  # noqa: E402

# Severities the samples assume where CONTRACT section 6 does not fix one (see sample-events/README.md).
SEV = {
    "retired-grant-use": "high",
    "grant-external-principal": "medium",
    "policy-public-access": "critical",
    "policy-lockout-risk": "high",
    "key-deletion-scheduled": "high",
    "key-disabled": "medium",
    "access-denied-burst": "medium",
}

CLAUSE_UNEXPECTED = ("\"a successful KMS call on a key by a principal that no key-policy statement names (other than "
                     "the account-root delegation statement), that holds no active grant for that operation, and that "
                     "the baseline does not list. `high` when the caller is in another account than the key or "
                     "nothing explains the call; `medium` when only the root delegation (IAM) explains it. Not raised "
                     "for a key whose policy is unknown.\"")
CLAUSE_ERRORS = "\"Events whose `errorCode` is set are never treated as successful uses.\""
CLAUSE_RETIRED = ("\"a successful call that matches a grant (grantee, operation, constraints), where no key-policy "
                  "statement names the caller for that operation, and that grant was retired or revoked more than "
                  "the grace period (default 5 minutes …) before the call's `eventTime` — also when the retirement "
                  "arrives in a later log file than the call. Within the grace period: at most `info`.\"")

NAMING_NOTE = (
    "**How \"names\" is read.** A statement *names* a caller when its `Principal` matches the caller: the caller's "
    "user ARN, its role ARN (for a session, the role from `sessionIssuer`, path included), `*`, or an account "
    "principal (`arn:aws:iam::ACCOUNT:root` / `ACCOUNT`) of the caller's account. The only statement excluded is "
    "\"the account-root delegation statement\" — the key's **own** account root, which delegates to that "
    "account's IAM. A statement naming **another** account's root names that account's principals (AWS requires "
    "exactly such a statement for any cross-account use), so it explains their calls.")


def sess_time(t: dt.datetime, minutes: int = 7) -> dt.datetime:
    return t - dt.timedelta(minutes=minutes)


def denied(who_session_arn: str, action: str, key_arn: str) -> tuple[str, str]:
    return ("AccessDenied",
            f"User: {who_session_arn} is not authorized to perform: {action} on resource: {key_arn} "
            f"because no identity-based policy allows the {action} action")


# ------------------------------------------------------------------------------------------------------------------
def s01_key_lifecycle() -> Scenario:
    sc = Scenario("key-lifecycle-admin-and-users",
                  "a key with administrator and user statements, an alias, rotation, a disable/enable cycle",
                  MAIN, "us-east-1", dt.date(2026, 10, 5))
    admin = Role(MAIN, "KeyAdmin")
    app = Role(MAIN, "AppRole")
    bob = iam_user(MAIN, "bob")
    key = sc.new_key("orders-app key")
    pol = policy(stmt_root(MAIN), stmt_admins([admin.arn]), stmt_users([app.arn]), stmt_grants([app.arn]))

    a = admin.session("jane.doe", sc.at(8, 58), console=True)
    ck = sc.create_key(sc.at(9, 2, 11), a, key, pol, "Orders application data key", user_agent="AWS Internal")
    key.policy_versions.append((f"from {ck['eventTime']}", f"CreateKey `{ck['eventID']}` (explicit policy)", pol))
    sc.quiet(ck, a, "CreateKey is authorized by IAM alone (kms:CreateKey is not a key-policy permission); KeyAdmin is "
                    "also named by the new policy (kms:Create*). The policy has no public statement and KeyAdmin and "
                    "root can call PutKeyPolicy: no policy-public-access, no policy-lockout-risk.")
    al = sc.create_alias(sc.at(9, 3, 40), a, key, "alias/orders-app", user_agent="AWS Internal")
    sc.quiet(al, a, "KeyAdmin is named by \"Allow access for Key Administrators\" (kms:Create*).")
    rot = sc.simple(sc.at(9, 4, 5), "EnableKeyRotation", a, key, extra_params={"rotationPeriodInDays": 365},
                    user_agent="AWS Internal")
    sc.quiet(rot, a, "KeyAdmin is named (kms:Enable*).")
    sc.filler(sc.at(9, 1), 3)
    sc.deliver(sc.at(9, 10), "key created by KeyAdmin in the console")

    s1 = app.session("orders-api-7c9f", sc.at(9, 14, 50))
    g = sc.gdk(sc.at(9, 15, 20), s1, key, {"tenant": "acme", "table": "orders"}, key_ref="alias/orders-app",
               user_agent=JAVA_UA, version="1.09")
    sc.quiet(g, s1, "AppRole is named by \"Allow use of the key\" (kms:GenerateDataKey*); the key is given by its "
                    "alias, resolved through the CreateAlias above.")
    e = sc.encrypt(sc.at(9, 16, 2), s1, key, {"tenant": "acme", "table": "orders"}, key_ref="alias/orders-app",
                   user_agent=JAVA_UA, version="1.09")
    sc.quiet(e, s1, "AppRole is named by \"Allow use of the key\" (kms:Encrypt).")
    d = sc.decrypt(sc.at(9, 20, 45), s1, key, {"tenant": "acme", "table": "orders"}, user_agent=JAVA_UA,
                   version="1.09")
    sc.quiet(d, s1, "AppRole is named (kms:Decrypt). The request does not name the key: it comes from `resources`.")
    sc.filler(sc.at(9, 17), 3)
    sc.deliver(sc.at(9, 25), "AppRole encrypts and decrypts through the alias")

    a2 = admin.session("jane.doe", sc.at(9, 28), console=True)
    dk = sc.simple(sc.at(9, 30, 12), "DescribeKey", a2, key, user_agent="AWS Internal")
    sc.quiet(dk, a2, "KeyAdmin is named (kms:Describe*).")
    bd = sc.decrypt(sc.at(9, 42, 37), bob, key, {"tenant": "acme", "table": "orders"}, key_ref=key.arn)
    sc.expect("unexpected-principal", "medium", bd, key, bob,
              "IAM user bob is named by no statement and holds no grant; only \"Enable IAM User Permissions\" "
              "(root delegation) lets his IAM policy allow the call, and bob is in the key's account.")
    sc.filler(sc.at(9, 35), 3)
    sc.deliver(sc.at(9, 50), "bob decrypts with IAM permissions only")

    a3 = admin.session("jane.doe", sc.at(9, 58), console=True)
    dis = sc.simple(sc.at(10, 0, 3), "DisableKey", a3, key, user_agent="AWS Internal")
    sc.expect("key-disabled", SEV["key-disabled"], dis, key, a3, "DisableKey on the key (KeyAdmin, kms:Disable*).")
    s2 = app.session("orders-api-2b41", sc.at(10, 2))
    msg = ("DisabledException", f"{key.arn} is disabled.")
    f1 = sc.decrypt(sc.at(10, 3, 10), s2, key, {"tenant": "acme", "table": "orders"}, error=msg, user_agent=JAVA_UA)
    sc.quiet(f1, s2, "Failed (DisabledException): " + CLAUSE_ERRORS + " Not an AccessDenied: no burst either.")
    f2 = sc.gdk(sc.at(10, 5, 44), s2, key, {"tenant": "acme", "table": "orders"}, key_ref="alias/orders-app",
                error=msg, user_agent=JAVA_UA)
    sc.quiet(f2, s2, "Failed (DisabledException).")
    f3 = sc.decrypt(sc.at(10, 7, 19), bob, key, {"tenant": "acme", "table": "orders"}, key_ref=key.arn, error=msg)
    sc.quiet(f3, bob, "bob again, but the call failed (DisabledException): failed calls are never uses, so no "
                      "unexpected-principal — compare with his successful Decrypt at 09:42:37.")
    sc.filler(sc.at(10, 1), 2)
    sc.deliver(sc.at(10, 15), "key disabled; calls fail with DisabledException")

    en = sc.simple(sc.at(10, 20, 0), "EnableKey", a3, key, user_agent="AWS Internal")
    sc.quiet(en, a3, "EnableKey is not a rule of section 6; KeyAdmin is named (kms:Enable*).")
    s3 = app.session("orders-api-2b41", sc.at(10, 2))
    d2 = sc.decrypt(sc.at(10, 25, 30), s3, key, {"tenant": "acme", "table": "orders"}, user_agent=JAVA_UA)
    sc.quiet(d2, s3, "AppRole, key enabled again.")
    re = sc.kms(sc.at(10, 30, 5), "ReEncrypt", s3, key,
                {"sourceEncryptionAlgorithm": "SYMMETRIC_DEFAULT",
                 "sourceEncryptionContext": {"tenant": "acme", "table": "orders"},
                 "destinationKeyId": "alias/orders-app", "destinationEncryptionAlgorithm": "SYMMETRIC_DEFAULT",
                 "destinationEncryptionContext": {"tenant": "acme", "table": "orders-archive"}}, None,
                user_agent=JAVA_UA)
    sc.quiet(re, s3, "ReEncrypt needs kms:ReEncryptFrom and kms:ReEncryptTo: both match kms:ReEncrypt* of "
                     "\"Allow use of the key\".")
    sc.filler(sc.at(10, 22), 2)
    sc.deliver(sc.at(10, 40), "key enabled again")

    sc.intro = """
What a security team sets up for an application key: `CreateKey` with an explicit policy in the shape the KMS console
writes — the root delegation statement \"Enable IAM User Permissions\", a key-administrators statement for role
`KeyAdmin`, a key-users statement for role `AppRole`, and the grants statement with `kms:GrantIsForAWSResource` —,
an alias, automatic rotation, then everyday use, an IAM user who is not in the key policy, and a disable/enable cycle.
"""
    sc.story = f"""
1. 09:02 `KeyAdmin` (console session `jane.doe`) creates the key with the policy below, creates `alias/orders-app` and
   enables rotation.
2. 09:15–09:20 `AppRole` sessions generate a data key and encrypt through the alias, then decrypt — all authorized by
   \"Allow use of the key\".
3. 09:30 `KeyAdmin` describes the key. 09:42 IAM user `bob` decrypts: no statement names him, no grant is his; only the
   root delegation statement lets his identity policy decide. **unexpected-principal, medium.**
4. 10:00 `KeyAdmin` disables the key (**key-disabled**). Three calls fail with `DisabledException`, one of them by
   `bob` — failed calls are never uses, so no finding for them.
5. 10:20 `KeyAdmin` enables the key; `AppRole` decrypts and re-encrypts again.
"""
    sc.notes = f"""
- `unexpected-principal` — {CLAUSE_UNEXPECTED} bob's successful Decrypt is explained only by the root delegation
  (IAM), and bob is in the key's account: `medium`.
- Failed calls — {CLAUSE_ERRORS}
- `CreateKey` is never judged by `unexpected-principal`: it is authorized by IAM policy alone (there is no key, hence no
  key policy, before it). Here KeyAdmin is also named by the policy it creates.
- {NAMING_NOTE}
- Rules beyond section 6 that may fire here: none expected (rotation is enabled, no grant is created).
"""
    return sc


# ------------------------------------------------------------------------------------------------------------------
def s02_s3_sse_kms() -> Scenario:
    sc = Scenario("s3-sse-kms", "S3 server-side encryption with a customer managed key (SSE-KMS)",
                  MAIN, "us-east-1", dt.date(2026, 10, 6))
    admin = Role(MAIN, "KeyAdmin")
    pipe = Role(MAIN, "DataPipeline")
    analyst = iam_user(MAIN, "analyst")
    key = sc.new_key("datalake key")
    bucket = "amzn-s3-demo-bucket-datalake"
    via_s3 = {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:CallerAccount": MAIN}}
    pol = policy(stmt_root(MAIN), stmt_admins([admin.arn]),
                 stmt_users([pipe.arn], sid="Allow use of the key through S3 only", condition=via_s3))

    a = admin.session("platform-bootstrap", sc.at(7, 55))
    ck = sc.create_key(sc.at(8, 0, 4), a, key, pol, "SSE-KMS key of the data lake bucket")
    key.policy_versions.append((f"from {ck['eventTime']}", f"CreateKey `{ck['eventID']}`", pol))
    sc.quiet(ck, a, "CreateKey (IAM-authorized); sound policy.")
    sc.record(sc.at(8, 3, 30), "s3.amazonaws.com", "PutBucketEncryption", a,
              {"bucketName": bucket, "Host": f"{bucket}.s3.us-east-1.amazonaws.com", "encryption": "",
               "ServerSideEncryptionConfiguration": {
                   "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
                   "Rule": {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                                   "KMSMasterKeyID": key.arn},
                            "BucketKeyEnabled": False}}},
              None, resources=[{"accountId": MAIN, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}],
              read_only=False, version="1.10", request_id=sc.token(16, "0123456789ABCDEF"),
              additional={"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                          "bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader",
                          "x-amz-id-2": sc.token(56), "bytesTransferredOut": 0})
    sc.filler(sc.at(8, 1), 3)
    sc.deliver(sc.at(8, 10), "key and bucket default encryption set up")

    def put(t, sess, obj, size):
        ctx = {"aws:s3:arn": f"arn:aws:s3:::{bucket}/{obj}"}
        g = sc.gdk(t, sess.with_invoked_by("s3.amazonaws.com"), key, ctx)
        sc.s3_object(t + dt.timedelta(seconds=1), sess, "PutObject", bucket, obj, key, size=size)
        return g

    def get(t, sess, obj, size):
        ctx = {"aws:s3:arn": f"arn:aws:s3:::{bucket}/{obj}"}
        d = sc.decrypt(t, sess.with_invoked_by("s3.amazonaws.com"), key, ctx)
        sc.s3_object(t + dt.timedelta(seconds=1), sess, "GetObject", bucket, obj, key, size=size)
        return d

    p1 = pipe.session("ingest-20261006T0825", sc.at(8, 25))
    for t, obj, size in [(sc.at(8, 30, 12), "raw/2026/10/06/orders-0001.parquet", 48211),
                         (sc.at(8, 31, 40), "raw/2026/10/06/orders-0002.parquet", 51977)]:
        g = put(t, p1, obj, size)
        sc.quiet(g, p1.with_invoked_by("s3.amazonaws.com"),
                 "DataPipeline is named by \"Allow use of the key through S3 only\"; its kms:ViaService condition "
                 "holds because the record proves the call came through S3 (`invokedBy: s3.amazonaws.com` in "
                 "us-east-1), kms:CallerAccount is the role's account.")
    sc.filler(sc.at(8, 32), 2)
    sc.deliver(sc.at(8, 40), "DataPipeline writes objects (GenerateDataKey through S3)")

    p2 = pipe.session("compact-20261006T0905", sc.at(9, 5))
    d = get(sc.at(9, 6, 3), p2, "raw/2026/10/06/orders-0001.parquet", 48211)
    sc.quiet(d, p2.with_invoked_by("s3.amazonaws.com"), "DataPipeline, through S3: named, conditions hold.")
    g = put(sc.at(9, 7, 55), p2, "curated/2026/10/06/orders.parquet", 97004)
    sc.quiet(g, p2.with_invoked_by("s3.amazonaws.com"), "DataPipeline, through S3.")
    sc.filler(sc.at(9, 6), 2)
    sc.deliver(sc.at(9, 15), "DataPipeline compacts")

    for t, obj, size in [(sc.at(9, 48, 21), "curated/2026/10/06/orders.parquet", 97004),
                         (sc.at(9, 52, 9), "raw/2026/10/06/orders-0002.parquet", 51977)]:
        d = get(t, analyst, obj, size)
        sc.expect("unexpected-principal", "medium", d, key, analyst,
                  "IAM user analyst reads an SSE-KMS object: S3 calls Decrypt on his behalf. No statement names him "
                  "(the S3 statement names DataPipeline only) and he holds no grant; only the root delegation "
                  "explains the call, and he is in the key's account.")
    sc.filler(sc.at(9, 50), 3)
    sc.deliver(sc.at(10, 0), "analyst reads objects with IAM permissions only")

    sc.intro = """
A data lake bucket with default encryption SSE-KMS under a customer managed key. Amazon S3 calls KMS on the caller's
behalf: `GenerateDataKey` for `PutObject` and `Decrypt` for `GetObject`, recorded with the caller's identity plus
`invokedBy: s3.amazonaws.com` and the encryption context `{"aws:s3:arn": "arn:aws:s3:::bucket/key"}` (no S3 Bucket Key,
so the context is the object ARN). The S3 object-level data events are in the trail too.
"""
    sc.story = """
1. 08:00 `KeyAdmin` creates the key; the key-users statement names role `DataPipeline` with a `kms:ViaService`
   condition (`s3.us-east-1.amazonaws.com`) and `kms:CallerAccount`; S3 default encryption is set on the bucket.
2. 08:30–09:08 `DataPipeline` writes and reads objects: each `PutObject`/`GetObject` data event is preceded by the
   KMS call S3 made for it. All authorized by the S3-only statement — the auditor must infer `kms:ViaService` from
   `invokedBy` (issue 3: "inferred only where the record proves them").
3. 09:48 and 09:52 IAM user `analyst` reads two objects. His identity policy allows `kms:Decrypt` (through the root
   statement); the key policy does not name him. **Two unexpected-principal findings, medium — one per call.**
"""
    sc.notes = f"""
- `unexpected-principal` — {CLAUSE_UNEXPECTED} The rule is defined per call (\"a successful KMS call\"), so each of
  analyst's two Decrypts is a finding.
- The KMS records made through S3 carry the caller's userIdentity and `invokedBy`; the principal is the caller
  (`arn:aws:iam::{MAIN}:user/analyst`), not S3.
- {NAMING_NOTE}
"""
    return sc


# ------------------------------------------------------------------------------------------------------------------
def s03_iam_delegation_only() -> Scenario:
    sc = Scenario("iam-delegation-only", "a key with the default key policy: every use is delegated to IAM",
                  MAIN, "eu-west-1", dt.date(2026, 10, 7))
    padmin = Role(MAIN, "PlatformAdmin")
    etl1 = Role(MAIN, "batch-etl-1", path="/service/")
    etl2 = Role(MAIN, "batch-etl-2", path="/service/")
    legacy = Role(MAIN, "LegacyApp")
    carol = iam_user(MAIN, "carol")
    key = sc.new_key("shared-data key")
    default_pol = policy(stmt_root(MAIN), pid="key-default-1")

    pa = padmin.session("terraform", sc.at(8, 28))
    ck = sc.create_key(sc.at(8, 30, 2), pa, key, None, "Shared data key (default policy)", user_agent=BOTO_UA_TF)
    key.policy_versions.append((f"from {ck['eventTime']}",
                                f"CreateKey `{ck['eventID']}` **without** a `policy` parameter: KMS applies the "
                                "default key policy", default_pol))
    sc.quiet(ck, pa, "CreateKey is authorized by IAM alone; there is no key policy before it.")
    al = sc.create_alias(sc.at(8, 30, 9), pa, key, "alias/shared-data", user_agent=BOTO_UA_TF)
    sc.quiet(al, pa, "With the baseline: PlatformAdmin is listed. (Without it: unexpected-principal medium — "
                     "CreateAlias is authorized on the key by the key policy, here only through IAM.)")
    sc.filler(sc.at(8, 29), 3)
    sc.deliver(sc.at(8, 40), "PlatformAdmin creates the key with Terraform")

    e1 = etl1.session("etl-run-5512", sc.at(8, 58))
    g = sc.gdk(sc.at(9, 0, 14), e1, key, {"pipeline": "nightly"}, key_ref="alias/shared-data", user_agent=BOTO_UA)
    sc.quiet(g, e1, "IAM-delegated only, but the baseline lists arn:aws:iam::111122223333:role/service/batch-etl-* "
                    "(the role comes from sessionIssuer, path included).")
    e2 = etl2.session("etl-run-5513", sc.at(9, 3))
    d = sc.decrypt(sc.at(9, 5, 31), e2, key, {"pipeline": "nightly"}, user_agent=BOTO_UA)
    sc.quiet(d, e2, "Listed by the baseline (batch-etl-*).")
    sc.filler(sc.at(9, 1), 3)
    sc.deliver(sc.at(9, 15), "batch ETL roles")

    c1 = sc.decrypt(sc.at(9, 40, 7), carol, key, {"pipeline": "nightly"}, key_ref="alias/shared-data")
    sc.expect("unexpected-principal", "medium", c1, key, carol,
              "Default policy: only the root delegation explains carol's call; carol is in the key's account and is "
              "not in the baseline.")
    c2 = sc.encrypt(sc.at(10, 10, 44), carol, key, {"pipeline": "adhoc"}, key_ref="alias/shared-data")
    sc.expect("unexpected-principal", "medium", c2, key, carol,
              "A second successful call by carol: the rule is raised per call.")
    sc.filler(sc.at(9, 45), 3)
    sc.deliver(sc.at(10, 20), "carol uses the key")

    l1 = legacy.session("i-0a1b2c3d4e5f60718", sc.at(10, 25))
    lg = sc.gdk(sc.at(10, 30, 55), l1, key, None, key_ref=key.arn, user_agent=JAVA_UA)
    sc.expect("unexpected-principal", "medium", lg, key, l1,
              "LegacyApp (same account, not in the baseline) is explained only by the root delegation.")
    e3 = etl1.session("etl-run-5514", sc.at(10, 58))
    d3 = sc.decrypt(sc.at(11, 0, 2), e3, key, {"pipeline": "nightly"}, user_agent=BOTO_UA)
    sc.quiet(d3, e3, "Listed by the baseline (batch-etl-*).")
    sc.filler(sc.at(10, 40), 2)
    sc.deliver(sc.at(11, 5), "LegacyApp and a late ETL run")

    sc.baseline = {
        "keys": {key.arn: {"principals": [f"arn:aws:iam::{MAIN}:role/service/batch-etl-*",
                                          f"arn:aws:iam::{MAIN}:role/PlatformAdmin"]}},
        "default": {"principals": []},
    }
    sc.without_options = ("7 × `unexpected-principal` instead of 3 (PlatformAdmin's CreateAlias and the three "
                          "batch-etl calls are no longer baselined).")
    sc.replay_options = f"""
`baseline.json` lists the expected users of the key (CONTRACT section 5): the batch ETL roles by wildcard
(`arn:aws:iam::{MAIN}:role/service/batch-etl-*`) and `PlatformAdmin`. Without `--baseline` the scenario gives
**7** `unexpected-principal` (medium) instead of 3: PlatformAdmin's CreateAlias and the three batch-etl calls join them.
"""
    sc.intro = """
A key created **without** a policy, so KMS applies the default key policy: a single statement giving the account root
`kms:*`, i.e. every permission is delegated to IAM. Nobody is named by the key policy; the key's users are whoever
the account's identity policies allow. The baseline is how a team says \"these principals are expected\".
"""
    sc.story = """
1. 08:30 `PlatformAdmin` (Terraform) creates the key without a policy and the alias `alias/shared-data`.
2. 09:00–11:00 the batch roles `/service/batch-etl-1` and `/service/batch-etl-2` use the key (baselined).
3. IAM user `carol` decrypts and encrypts, role `LegacyApp` generates a data key — none baselined: three findings.
"""
    sc.notes = f"""
- `unexpected-principal` — {CLAUSE_UNEXPECTED} It is raised **per call**: carol's two successful calls give two
  findings. All are `medium`: every caller is in the key's account and the root delegation explains each call.
- The baseline is matched against the CONTRACT's `principal` (for a session, the role ARN from `sessionIssuer`, path
  included — the session ARN `arn:aws:sts::{MAIN}:assumed-role/batch-etl-1/…` drops `/service/`).
- `CreateKey` is never an unexpected-principal: it is authorized by IAM alone and no key policy exists before it.
  `CreateAlias`, on the other hand, needs `kms:CreateAlias` on the key in the key policy — here through IAM.
"""
    return sc


BOTO_UA_TF = ("APN/1.0 HashiCorp/1.0 Terraform/1.9.7 (+https://www.terraform.io) terraform-provider-aws/5.70.0 "
              "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.0 ua/2.1 os/linux "
              "lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64 api/kms#1.37.0")


# ------------------------------------------------------------------------------------------------------------------
def s04_grants_lifecycle() -> Scenario:
    sc = Scenario("grants-lifecycle", "grants with constraints, retirement and revocation, and uses after them",
                  MAIN, "us-west-2", dt.date(2026, 10, 8))
    admin = Role(MAIN, "KeyAdmin")
    orders = Role(MAIN, "OrdersApp")
    reports = Role(MAIN, "ReportsApp")
    ops = Role(MAIN, "PlatformOps")
    alice = iam_user(MAIN, "alice")
    key = sc.new_key("orders-data key")
    pol = policy(stmt_root(MAIN), stmt_admins([admin.arn]),
                 {"Sid": "Allow grant management by alice", "Effect": "Allow",
                  "Principal": {"AWS": alice.principal}, "Action": ["kms:CreateGrant", "kms:ListGrants"],
                  "Resource": "*"})

    a = admin.session("sam.admin", sc.at(8, 58))
    ck = sc.create_key(sc.at(9, 0, 12), a, key, pol, "Orders data")
    key.policy_versions.append((f"from {ck['eventTime']}", f"CreateKey `{ck['eventID']}`", pol))
    sc.quiet(ck, a, "CreateKey; sound policy.")
    sc.create_alias(sc.at(9, 1, 0), a, key, "alias/orders-data")
    cg1, g1 = sc.create_grant(sc.at(9, 5, 30), alice, key, orders.arn, ["Decrypt", "GenerateDataKey"],
                              retiring=ops.arn, subset={"app": "orders"}, name="orders-app-prod")
    sc.quiet(cg1, alice, "alice is named by \"Allow grant management by alice\"; grantee and retiring principal are in "
                         "the key's account: no grant-external-principal.")
    cg2, g2 = sc.create_grant(sc.at(9, 7, 10), alice, key, reports.arn, ["Decrypt"], subset={"app": "reports"},
                              name="reports-monthly")
    sc.quiet(cg2, alice, "Same; this grant has no retiring principal (KeyAdmin will revoke it).")
    sc.filler(sc.at(9, 2), 3)
    sc.deliver(sc.at(9, 15), "key, alias and two grants created")

    o1 = orders.session("orders-worker-01", sc.at(9, 18))
    d1 = sc.decrypt(sc.at(9, 20, 5), o1, key, {"app": "orders", "order-id": "o-1001"}, user_agent=JAVA_UA)
    sc.quiet(d1, o1, f"Authorized by grant `{g1[:12]}…` (grantee OrdersApp, Decrypt, context contains app=orders).")
    d2 = sc.gdk(sc.at(9, 31, 40), o1, key, {"app": "orders", "order-id": "o-1002"}, key_ref="alias/orders-data",
                user_agent=JAVA_UA)
    sc.quiet(d2, o1, "Authorized by the same grant (GenerateDataKey, constraint satisfied).")
    r1 = reports.session("monthly-close", sc.at(9, 39))
    d3 = sc.decrypt(sc.at(9, 40, 0), r1, key, {"app": "reports", "period": "2026-09"}, user_agent=BOTO_UA)
    sc.quiet(d3, r1, f"Authorized by grant `{g2[:12]}…` (ReportsApp, Decrypt, app=reports).")
    bad = sc.decrypt(sc.at(9, 44, 20), o1, key, {"app": "billing", "invoice": "in-77"}, user_agent=JAVA_UA,
                     error=denied(o1.user_identity["arn"], "kms:Decrypt", key.arn))
    sc.quiet(bad, o1, "The context {app: billing} does not contain the grant's EncryptionContextSubset {app: orders}, "
                      "so the grant does not apply; the key policy leaves OrdersApp to IAM and OrdersApp's identity "
                      "policy grants no KMS access: KMS denied it (AccessDenied). Failed, so no unexpected-principal; "
                      "a single denial is no burst.")
    sc.filler(sc.at(9, 25), 3)
    sc.deliver(sc.at(9, 50), "grantees use their grants; one call outside the constraint is denied")

    retire_t = sc.at(10, 30, 0)
    p = ops.session("grant-janitor", sc.at(10, 29))
    retire = sc.retire_grant(retire_t, p, key, g1, add=False)   # delivered late, below
    sc.quiet(retire, p, "PlatformOps is the grant's retiring principal: it may retire it (KMS authorizes RetireGrant "
                        "by the grant, not the key policy).")

    o2 = orders.session("orders-worker-02", sc.at(10, 31))
    grace = sc.decrypt(sc.at(10, 33, 20), o2, key, {"app": "orders", "order-id": "o-1107"}, user_agent=JAVA_UA)
    sc.expect("retired-grant-use", "info", grace, key, o2,
              "3 min 20 s after the grant was retired: within the 5-minute grace (AWS's bound for grant eventual "
              "consistency), so at most info. No unexpected-principal either: within the grace the retired grant "
              "still explains the call.", evidence=[retire], optional=True)
    sc.quiet(grace, o2, "No unexpected-principal, and retired-grant-use at most info (see the MAY table).",
             except_rules=["retired-grant-use"])
    sc.filler(sc.at(10, 34), 2)
    sc.deliver(sc.at(10, 40), "a use 3 min after the (not yet delivered) retirement")

    late1 = sc.decrypt(sc.at(10, 41, 30), o2, key, {"app": "orders", "order-id": "o-1112"}, user_agent=JAVA_UA)
    sc.filler(sc.at(10, 42), 2)
    sc.deliver(sc.at(10, 50), "a use 11 min after the retirement")
    late2 = sc.gdk(sc.at(10, 52, 5), o2, key, {"app": "orders", "order-id": "o-1120"}, key_ref="alias/orders-data",
                   user_agent=JAVA_UA)
    sc.filler(sc.at(10, 53), 2)
    sc.deliver(sc.at(11, 0), "a use 22 min after the retirement")
    for ev, mins in [(late1, "11 min 30 s"), (late2, "22 min 5 s")]:
        sc.expect("retired-grant-use", SEV["retired-grant-use"], ev, key, o2,
                  f"Matches grant `{g1[:12]}…` (OrdersApp, {ev['eventName']}, app=orders) retired {mins} earlier "
                  "by PlatformOps — beyond the 5-minute grace; no statement names OrdersApp. The RetireGrant arrives "
                  "in a later file (11:25): the call must be re-judged when it does.", evidence=[retire])
        sc.expect("unexpected-principal", "medium", ev, key, o2,
                  "With the grant retired, OrdersApp holds no active grant and no statement names it; only the root "
                  "delegation could explain the success (same account).")

    rv = sc.revoke_grant(sc.at(11, 5, 0), a, key, g2)
    sc.quiet(rv, a, "KeyAdmin is named (kms:Revoke*).")
    sc.filler(sc.at(11, 6), 2)
    sc.deliver(sc.at(11, 15), "KeyAdmin revokes the reports grant")

    sc.pending.append(retire)
    sc.filler(sc.at(11, 16), 2)
    sc.deliver(sc.at(11, 25), "LATE: holds the RetireGrant of 10:30:00, delivered after the calls it affects")

    r2 = reports.session("monthly-close-rerun", sc.at(11, 34))
    after_revoke = sc.decrypt(sc.at(11, 35, 10), r2, key, {"app": "reports", "period": "2026-09"}, user_agent=BOTO_UA)
    sc.expect("retired-grant-use", SEV["retired-grant-use"], after_revoke, key, r2,
              f"Matches grant `{g2[:12]}…` (ReportsApp, Decrypt, app=reports) revoked 30 min earlier by KeyAdmin; "
              "no statement names ReportsApp.", evidence=[rv])
    sc.expect("unexpected-principal", "medium", after_revoke, key, r2,
              "ReportsApp holds no active grant any more and no statement names it: only the root delegation.")
    sc.filler(sc.at(11, 36), 2)
    sc.deliver(sc.at(11, 45), "ReportsApp decrypts 30 min after the revocation")

    sc.intro = """
The grant lifecycle the auditor must follow over time: `CreateGrant` by a user for an application role with an
`EncryptionContextSubset` constraint and a retiring principal; uses through the grant; a call outside the constraint
(denied); `RetireGrant` by the retiring principal, delivered in a **later log file** than the calls it affects;
`RevokeGrant` by the key administrator; and the grantees still succeeding afterwards.
"""
    sc.story = f"""
1. 09:00 `KeyAdmin` creates the key (policy below: nobody but alice and KeyAdmin is named). 09:05 IAM user `alice`
   grants role `OrdersApp` Decrypt + GenerateDataKey with constraint `EncryptionContextSubset {{"app": "orders"}}` and
   retiring principal role `PlatformOps` (grant `{g1}`); 09:07 she grants `ReportsApp` Decrypt with
   `{{"app": "reports"}}` (grant `{g2}`).
2. 09:20–09:40 the grantees use their grants. 09:44 OrdersApp decrypts with `{{"app": "billing"}}`: the grant's
   constraint is not met, and OrdersApp has no other permission, so **KMS denies it** and the trail shows
   `AccessDenied` — no finding (failed calls are never uses).
3. 10:30:00 `PlatformOps` retires the orders grant. That record is delivered only at 11:25, after the files of 10:40,
   10:50 and 11:00 that hold OrdersApp's later calls.
4. OrdersApp keeps succeeding: at 10:33:20 (inside the 5-minute grace: at most `info`), at 10:41:30 and 10:52:05
   (beyond it: **retired-grant-use high**, plus **unexpected-principal medium** since nothing but IAM delegation is
   left to explain them). The auditor can only see this when the late file arrives: it must re-judge the earlier calls.
5. 11:05 `KeyAdmin` revokes the reports grant; 11:35 ReportsApp still decrypts: **retired-grant-use high** and
   **unexpected-principal medium**.

In reality a successful call 10+ minutes after its only authorization was retired means one of: the retirement record
is not what it seems (another grant with the same grantee exists that the trail never showed, e.g. created before
the trail began), the call used a grant token, or the principal gained IAM permissions in the meantime. All are worth
a look, which is why the auditor flags it.
"""
    sc.notes = f"""
- `retired-grant-use` — {CLAUSE_RETIRED}
- `unexpected-principal` — {CLAUSE_UNEXPECTED} After the grace, a retired grant is no longer \"active\", so the
  post-grace calls satisfy this definition as well: both rules fire on them (same event, two rules). **Interpretation
  to confirm:** within the grace period the retired grant is still treated as active (that is what the grace models:
  AWS documents up to 5 minutes before a retirement takes effect everywhere), so the 10:33:20 call raises no
  `unexpected-principal`.
- The denied Decrypt shows the constraint semantics: `EncryptionContextSubset` requires every constraint pair to be
  in the request's context, case-sensitively; extra pairs (`order-id`) are allowed.
- Rules beyond section 6: the reports grant has no retiring principal (issue 4's \"grants without a retiring
  principal\").
"""
    return sc


# ------------------------------------------------------------------------------------------------------------------
def s05_aws_service_grants() -> Scenario:
    sc = Scenario("aws-service-grants", "EBS and Lambda creating grants on a user's behalf (kms:GrantIsForAWSResource)",
                  MAIN, "us-east-1", dt.date(2026, 10, 9))
    admin = Role(MAIN, "KeyAdmin")
    devops = Role(MAIN, "DevOps")
    fn_role = Role(MAIN, "orders-fn-role-x1y2z3", path="/service-role/")
    key = sc.new_key("application key (EBS and Lambda)")
    pol = policy(stmt_root(MAIN), stmt_admins([admin.arn]), stmt_users([devops.arn]), stmt_grants([devops.arn]))
    a = admin.session("sam.admin", sc.at(8, 58))
    ck = sc.create_key(sc.at(9, 0, 5), a, key, pol, "Application key for EBS volumes and Lambda environment variables")
    key.policy_versions.append((f"from {ck['eventTime']}", f"CreateKey `{ck['eventID']}`", pol))
    sc.quiet(ck, a, "CreateKey; sound policy.")
    sc.create_alias(sc.at(9, 0, 40), a, key, "alias/app-ebs")
    sc.filler(sc.at(9, 2), 3)
    sc.deliver(sc.at(9, 15), "key created")

    dv = devops.session("rita.ops", sc.at(9, 17), console=True)
    inst, vol = sc.instance_id(), sc.volume_id()
    sc.record(sc.at(9, 20, 11), "ec2.amazonaws.com", "RunInstances", dv,
              {"instancesSet": {"items": [{"imageId": "ami-0abcdef1234567890", "minCount": 1, "maxCount": 1}]},
               "instanceType": "m7g.large",
               "blockDeviceMapping": {"items": [{"deviceName": "/dev/xvda",
                                                 "ebs": {"volumeSize": 20, "deleteOnTermination": True,
                                                         "volumeType": "gp3", "encrypted": True,
                                                         "kmsKeyId": key.arn}}]},
               "monitoring": {"enabled": False}, "disableApiTermination": False,
               "clientToken": sc.uuid()},
              {"requestId": sc.uuid(), "reservationId": "r-0" + "%016x" % sc.rng.getrandbits(64), "ownerId": MAIN,
               "instancesSet": {"items": [{"instanceId": inst, "imageId": "ami-0abcdef1234567890",
                                           "instanceState": {"code": 0, "name": "pending"}}]}},
              read_only=False, version="1.09", user_agent="AWS Internal")
    via_ec2 = dv.with_invoked_by("ec2.amazonaws.com")
    ebs_ctx = {"aws:ebs:id": vol}
    g = sc.gdk(sc.at(9, 20, 13), via_ec2, key, ebs_ctx, name="GenerateDataKeyWithoutPlaintext")
    sc.quiet(g, via_ec2, "DevOps is named by \"Allow use of the key\" (kms:GenerateDataKey*), here through EC2.")
    cg, ebs_grant = sc.create_grant(sc.at(9, 20, 14), via_ec2, key, f"{MAIN}:aws:ec2-infrastructure:{inst}",
                                    ["Decrypt"], retiring="ec2.us-east-1.amazonaws.com", subset=ebs_ctx)
    sc.quiet(cg, via_ec2, "DevOps is named by \"Allow attachment of persistent resources\", whose condition "
                          "kms:GrantIsForAWSResource=true is proven by `invokedBy: ec2.amazonaws.com`. Grantee "
                          f"`{MAIN}:aws:ec2-infrastructure:…` is in the key's account; the retiring principal is the "
                          "EC2 service: no grant-external-principal.")
    infra = Role(MAIN, "aws:ec2-infrastructure", principal_id=f"{MAIN}:aws:ec2-infrastructure").session(
        inst, sc.at(9, 20, 20), session_principal_id=f"{MAIN}:aws:ec2-infrastructure:{inst}")
    infra.user_identity["accessKeyId"] = ""
    d = sc.decrypt(sc.at(9, 20, 31), infra, key, ebs_ctx, source_ip="AWS Internal", user_agent="AWS Internal",
                   tls=False)
    sc.quiet(d, infra, f"EC2 infrastructure decrypts the volume key while attaching it: authorized by grant "
                       f"`{ebs_grant[:12]}…`, whose grantee is this caller's principalId "
                       f"(`{MAIN}:aws:ec2-infrastructure:{inst}`), constraint aws:ebs:id satisfied.")
    sc.filler(sc.at(9, 21), 2)
    sc.deliver(sc.at(9, 35), "EC2 launches an instance with an encrypted volume")

    fn_arn = f"arn:aws:lambda:us-east-1:{MAIN}:function:orders-fn"
    sc.record(sc.at(9, 50, 2), "lambda.amazonaws.com", "CreateFunction20150331", dv,
              {"functionName": "orders-fn", "runtime": "provided.al2023", "role": fn_role.arn,
               "handler": "bootstrap", "code": {}, "kMSKeyArn": key.arn,
               "environment": {}, "architectures": ["arm64"]},
              {"functionName": "orders-fn", "functionArn": fn_arn, "runtime": "provided.al2023",
               "role": fn_role.arn, "kMSKeyArn": key.arn, "state": "Pending", "version": "$LATEST"},
              read_only=False, version="1.08", user_agent="AWS Internal")
    via_lambda = dv.with_invoked_by("lambda.amazonaws.com")
    lctx = {"aws:lambda:FunctionArn": fn_arn}
    cg2, lambda_grant = sc.create_grant(sc.at(9, 50, 3), via_lambda, key, fn_role.arn, ["Decrypt"], subset=lctx)
    sc.quiet(cg2, via_lambda, "DevOps through Lambda: named by the grants statement, kms:GrantIsForAWSResource proven "
                              "by `invokedBy: lambda.amazonaws.com`; grantee in the key's account.")
    en = sc.encrypt(sc.at(9, 50, 3), via_lambda, key, lctx)
    sc.quiet(en, via_lambda, "Lambda encrypts the environment variables with DevOps's permissions: DevOps is named "
                             "(kms:Encrypt).")
    fs = fn_role.session("orders-fn", sc.at(9, 51, 15))
    d2 = sc.decrypt(sc.at(9, 51, 20), fs, key, lctx, user_agent=LAMBDA_UA)
    sc.quiet(d2, fs, f"The function's execution role decrypts its environment at cold start: authorized by grant "
                     f"`{lambda_grant[:12]}…` (grantee the role `/service-role/orders-fn-role-x1y2z3`, taken from "
                     "sessionIssuer; constraint aws:lambda:FunctionArn satisfied).")
    sc.filler(sc.at(9, 52), 2)
    sc.deliver(sc.at(10, 5), "Lambda function with a customer managed key for its environment")

    fs2 = fn_role.session("orders-fn", sc.at(10, 19, 50))
    d3 = sc.decrypt(sc.at(10, 20, 0), fs2, key, lctx, user_agent=LAMBDA_UA)
    sc.quiet(d3, fs2, "Another cold start: same grant.")
    sc.record(sc.at(10, 30, 0), "ec2.amazonaws.com", "TerminateInstances", dv,
              {"instancesSet": {"items": [{"instanceId": inst}]}},
              {"requestId": sc.uuid(), "instancesSet": {"items": [{"instanceId": inst,
                                                                   "currentState": {"code": 32, "name": "shutting-down"},
                                                                   "previousState": {"code": 16, "name": "running"}}]}},
              read_only=False, version="1.09", user_agent="AWS Internal")
    ec2svc = aws_service("ec2.amazonaws.com")
    rg = sc.retire_grant(sc.at(10, 31, 2), ec2svc, key, ebs_grant, shared_event=True, version="1.11")
    sc.quiet(rg, ec2svc, "EC2 retires its own grant after the instance terminated: the grant's retiring principal is "
                         "the EC2 service principal (`ec2.us-east-1.amazonaws.com`, the regional form of the "
                         "`ec2.amazonaws.com` in invokedBy), which may retire it.")
    sc.filler(sc.at(10, 32), 2)
    sc.deliver(sc.at(10, 45), "instance terminated, EC2 retires the grant")

    sc.intro = """
AWS services creating grants on a user's behalf — the reason the KMS console's key policy has the statement
\"Allow attachment of persistent resources\" (`kms:CreateGrant`/`ListGrants`/`RevokeGrant` with
`Bool kms:GrantIsForAWSResource: true`). Amazon EC2 (EBS) and AWS Lambda call `CreateGrant` with the user's
credentials (`invokedBy` the service); then the grantee — EC2 infrastructure for a volume, the function's execution
role for its environment variables — uses the key through the grant, and EC2 retires its grant when done.
"""
    sc.story = f"""
1. 09:00 `KeyAdmin` creates the key: `DevOps` is a key user and may create grants for AWS resources.
2. 09:20 `DevOps` launches an instance with an encrypted volume. EC2, with DevOps's credentials, calls
   `GenerateDataKeyWithoutPlaintext` (context `aws:ebs:id`) and `CreateGrant` for grantee
   `{MAIN}:aws:ec2-infrastructure:{inst}` (Decrypt, constrained to the volume, retiring principal the EC2 service).
   EC2 infrastructure then decrypts the volume key through that grant (shapes of the Developer Guide's
   `ct-ec2two` example).
3. 09:50 `DevOps` creates Lambda function `orders-fn` with this key for its environment variables: Lambda calls
   `CreateGrant` for the execution role (constraint `aws:lambda:FunctionArn`) and `Encrypt`; at cold start the
   execution role decrypts the environment through the grant (shape of the real Control Tower capture).
4. 10:30 the instance is terminated and the EC2 service retires its grant.

No finding: every call is explained by a statement naming DevOps or by a grant.
"""
    sc.notes = f"""
- `kms:GrantIsForAWSResource` is not in CloudTrail; issue 3 has it inferred only where the record proves it — here
  `invokedBy: ec2.amazonaws.com` / `lambda.amazonaws.com` on the CreateGrant. An auditor that cannot infer it would
  judge these CreateGrants `Undetermined`, and \"nothing is ever flagged on an undetermined path\": still no finding.
- Grantee matching: the EC2 grant names `{MAIN}:aws:ec2-infrastructure:{inst}`, matched against the caller's
  `principalId`; the Lambda grant names the role ARN with its path `/service-role/`, matched against `sessionIssuer.arn`.
- The EBS grant is in the key's account; its retiring principal is a service principal, not an account: no
  `grant-external-principal`.
- Rules beyond section 6: the Lambda grant has no retiring principal.
"""
    return sc


# ------------------------------------------------------------------------------------------------------------------
def s06_cross_account_autoscaling() -> Scenario:
    sc = Scenario("cross-account-autoscaling",
                  "an Auto Scaling service-linked role using another account's key through a grant",
                  OTHER, "us-west-2", dt.date(2026, 10, 10))
    owner_admin = Role(OTHER, "KeyAdmin")
    main_admin = Role(MAIN, "Admin")
    slr = Role(MAIN, "AWSServiceRoleForAutoScaling", path="/aws-service-role/autoscaling.amazonaws.com/")
    key = sc.new_key("shared EBS key (owned by 444455556666)")
    ext = {"Sid": f"Allow attachment of persistent resources in external account {MAIN}", "Effect": "Allow",
           "Principal": {"AWS": f"arn:aws:iam::{MAIN}:root"}, "Action": "kms:CreateGrant", "Resource": "*"}
    pol = policy(stmt_root(OTHER), stmt_admins([owner_admin.arn]), ext)
    oa = owner_admin.session("key-owner-admin", sc.at(8, 58))
    ck = sc.create_key(sc.at(9, 0, 0), oa, key, pol, "EBS key shared with account 111122223333 for Auto Scaling")
    key.policy_versions.append((f"from {ck['eventTime']}", f"CreateKey `{ck['eventID']}`", pol))
    sc.quiet(ck, oa, "CreateKey in the key owner's account; no public statement, root and KeyAdmin can PutKeyPolicy.")
    sc.create_alias(sc.at(9, 0, 45), oa, key, "alias/shared-asg-ebs")
    sc.filler(sc.at(9, 1), 3)
    sc.deliver(sc.at(9, 15), "key owner creates the shared key")

    ma = main_admin.session("ops-engineer", sc.at(9, 28), mfa=True)
    ops = ["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
           "DescribeKey", "CreateGrant"]
    cg, g1 = sc.create_grant(sc.at(9, 30, 12), ma, key, slr.arn, ops, shared_event=True)
    sc.expect("grant-external-principal", SEV["grant-external-principal"], cg, key, ma,
              f"The grantee, role {slr.path}{slr.name} of account {MAIN}, is in another account than the key "
              f"({OTHER}). A grant is durable, invisible in the key policy, and this one includes CreateGrant (the "
              "grantee can delegate further): medium. It is the documented Auto Scaling pattern — suppress by "
              "reviewing, not by ignoring.")
    sc.quiet(cg, ma, except_rules=["grant-external-principal"], why=f"No unexpected-principal: the caller (role Admin of {MAIN}) is named by the statement "
                     f"\"Allow attachment of persistent resources in external account {MAIN}\" (Principal "
                     f"arn:aws:iam::{MAIN}:root, kms:CreateGrant).")
    sc.filler(sc.at(9, 32), 3)
    sc.deliver(sc.at(9, 45), f"an admin of {MAIN} grants the Auto Scaling service-linked role")

    s = slr.session("AutoScaling", sc.at(10, 2), invoked_by="autoscaling.amazonaws.com")
    inst, vol = sc.instance_id(), sc.volume_id()
    ctx = {"aws:ebs:id": vol}
    g = sc.gdk(sc.at(10, 2, 20), s, key, ctx, name="GenerateDataKeyWithoutPlaintext", shared_event=True)
    sc.quiet(g, s, f"Authorized by grant `{g1[:12]}…`: the grantee is the role ARN with its path, matched through "
                   "sessionIssuer (the session ARN assumed-role/AWSServiceRoleForAutoScaling/AutoScaling drops it).")
    cg2, g2 = sc.create_grant(sc.at(10, 2, 21), s, key, f"{MAIN}:aws:ec2-infrastructure:{inst}", ["Decrypt"],
                              retiring="ec2.us-west-2.amazonaws.com", subset=ctx, shared_event=True)
    sc.expect("grant-external-principal", SEV["grant-external-principal"], cg2, key, s,
              f"A derived grant: the service-linked role grants EC2 infrastructure of account {MAIN} "
              f"(`{MAIN}:aws:ec2-infrastructure:…`) — again a grantee outside the key's account.")
    sc.quiet(cg2, s, "No unexpected-principal: the grant includes CreateGrant, and the external-account statement "
                     "also names the caller's account.", except_rules=["grant-external-principal"])
    infra = Role(MAIN, "aws:ec2-infrastructure", principal_id=f"{MAIN}:aws:ec2-infrastructure").session(
        inst, sc.at(10, 2, 30), session_principal_id=f"{MAIN}:aws:ec2-infrastructure:{inst}")
    infra.user_identity["accessKeyId"] = ""
    d = sc.decrypt(sc.at(10, 2, 40), infra, key, ctx, source_ip="AWS Internal", user_agent="AWS Internal",
                   tls=False, shared_event=True)
    sc.quiet(d, infra, f"Authorized by the derived grant `{g2[:12]}…` (principalId match, aws:ebs:id satisfied).")
    vol2 = sc.volume_id()
    d2 = sc.decrypt(sc.at(10, 5, 0), s, key, {"aws:ebs:id": vol2}, key_ref=key.arn, shared_event=True)
    sc.quiet(d2, s, f"Authorized by grant `{g1[:12]}…` (Decrypt; that grant has no constraints).")
    sc.filler(sc.at(10, 3), 2)
    sc.deliver(sc.at(10, 15), "Auto Scaling launches an instance with an encrypted volume")

    s2 = slr.session("AutoScaling", sc.at(10, 29), invoked_by="autoscaling.amazonaws.com")
    dk = sc.simple(sc.at(10, 30, 4), "DescribeKey", s2, key, key_ref=key.arn, shared_event=True)
    sc.quiet(dk, s2, f"Authorized by grant `{g1[:12]}…` (DescribeKey).")
    sc.filler(sc.at(10, 31), 3)
    sc.deliver(sc.at(10, 45), "a scaling check")

    sc.intro = f"""
The documented EC2 Auto Scaling pattern for encrypted volumes with a key of another account: the key owner
(`{OTHER}`) lets account `{MAIN}` call `kms:CreateGrant`; an administrator in `{MAIN}` creates a grant for the Auto
Scaling service-linked role `arn:aws:iam::{MAIN}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
the service-linked role then uses the key through that grant and creates a derived grant for EC2. This is the **key
owner's** trail (`recipientAccountId` {OTHER}): the cross-account calls appear here with the caller's identity and a
`sharedEventID` (the caller's own trail has its copy, not included).
"""
    sc.story = f"""
1. 09:00 the key owner's `KeyAdmin` creates the key; its policy names `arn:aws:iam::{MAIN}:root` for `kms:CreateGrant`.
2. 09:30 role `Admin` of `{MAIN}` creates a grant for the service-linked role with eight operations including
   `CreateGrant`, no constraints, no retiring principal: **grant-external-principal** (grantee outside the key's account).
3. 10:02 the service-linked role (`invokedBy: autoscaling.amazonaws.com`) generates a volume data key and creates a
   derived grant for EC2 infrastructure of `{MAIN}`: **grant-external-principal** again. EC2 infrastructure decrypts
   through the derived grant; the service-linked role decrypts and describes the key through its grant.
"""
    sc.notes = f"""
- `grant-external-principal` — \"a CreateGrant whose grantee or retiring principal is in another account than the
  key\". The key is in `{OTHER}`; both grantees are in `{MAIN}` (the `ACCOUNT:aws:ec2-infrastructure:…` form carries its
  account as a prefix). Retiring principal `ec2.us-west-2.amazonaws.com` is a service, not an account. Severity
  assumed medium (not fixed by the CONTRACT).
- No `unexpected-principal`: {NAMING_NOTE}
- The service-linked role's ARN has a path; sessions drop it (`arn:aws:sts::{MAIN}:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling`).
  Grant matching must use `sessionIssuer.arn`.
- Rules beyond section 6: the first grant has no retiring principal and no constraints, and allows `CreateGrant`.
"""
    return sc


# ------------------------------------------------------------------------------------------------------------------
def s07_key_deletion() -> Scenario:
    sc = Scenario("key-deletion", "a key scheduled for deletion an hour after its last use, cancelled, scheduled again",
                  MAIN, "us-east-1", dt.date(2026, 10, 11))
    admin = Role(MAIN, "KeyAdmin")
    app = Role(MAIN, "ReportingApp")
    oncall = iam_user(MAIN, "ops-oncall")
    root = root_user(MAIN)
    key = sc.new_key("legacy-reports key")
    key2 = sc.new_key("old-batch key")

    s = app.session("nightly-report", sc.at(8, 50))
    d = sc.decrypt(sc.at(8, 55, 2), s, key, {"report": "2026-10-10"}, user_agent=BOTO_UA)
    sc.quiet(d, s, "The key's policy is unknown (no CreateKey/PutKeyPolicy, no inventory): unexpected-principal is "
                   "\"not raised for a key whose policy is unknown\".")
    g = sc.gdk(sc.at(9, 10, 30), s, key, {"report": "2026-10-10"}, user_agent=BOTO_UA)
    sc.quiet(g, s, "Same: policy unknown.")
    sc.filler(sc.at(9, 0), 3)
    sc.deliver(sc.at(9, 15), "last uses of the key")

    a = admin.session("sam.admin", sc.at(9, 50), console=True)
    t = sc.at(9, 55, 0)
    sk = sc.simple(t, "ScheduleKeyDeletion", a, key, extra_params={"pendingWindowInDays": 30},
                   response={"keyId": key.arn, "deletionDate": human_date(t + dt.timedelta(days=30)),
                             "keyState": "PendingDeletion", "pendingWindowInDays": 30}, user_agent="AWS Internal")
    sc.expect("key-deletion-scheduled", SEV["key-deletion-scheduled"], sk, key, a,
              "ScheduleKeyDeletion (30-day window) of a key last used 45 minutes before (09:10:30).")
    s2 = app.session("adhoc-report", sc.at(10, 4))
    f = sc.decrypt(sc.at(10, 5, 12), s2, key, {"report": "2026-10-09"}, user_agent=BOTO_UA,
                   error=("KMSInvalidStateException", f"{key.arn} is pending deletion."))
    sc.quiet(f, s2, "Failed (KMSInvalidStateException: pending deletion) — the blast radius of the deletion, not a use.")
    sc.filler(sc.at(9, 58), 3)
    sc.deliver(sc.at(10, 10), "deletion scheduled; a report fails")

    c = sc.simple(sc.at(10, 20, 31), "CancelKeyDeletion", a, key, response={"keyId": key.arn},
                  user_agent="AWS Internal")
    sc.quiet(c, a, "CancelKeyDeletion: no rule. The key is now Disabled (that is what cancelling does), but no "
                   "DisableKey was called: no key-disabled.")
    f2 = sc.decrypt(sc.at(10, 22, 40), s2, key, {"report": "2026-10-09"}, user_agent=BOTO_UA,
                    error=("DisabledException", f"{key.arn} is disabled."))
    sc.quiet(f2, s2, "Failed (DisabledException).")
    en = sc.simple(sc.at(10, 30, 2), "EnableKey", a, key, user_agent="AWS Internal")
    sc.quiet(en, a, "EnableKey: no rule.")
    d2 = sc.decrypt(sc.at(10, 40, 9), s2, key, {"report": "2026-10-09"}, user_agent=BOTO_UA)
    sc.quiet(d2, s2, "Policy unknown.")
    sc.filler(sc.at(10, 25), 3)
    sc.deliver(sc.at(10, 45), "deletion cancelled, key re-enabled")

    t2 = sc.at(14, 0, 17)
    sk2 = sc.simple(t2, "ScheduleKeyDeletion", oncall, key, key_ref=key.arn, extra_params={"pendingWindowInDays": 7},
                    response={"keyId": key.arn, "deletionDate": human_date(t2 + dt.timedelta(days=7)),
                              "keyState": "PendingDeletion", "pendingWindowInDays": 7})
    sc.expect("key-deletion-scheduled", SEV["key-deletion-scheduled"], sk2, key, oncall,
              "Scheduled again, by IAM user ops-oncall, with the minimum 7-day window.")
    dis = sc.simple(sc.at(14, 30, 45), "DisableKey", root, key2, user_agent="AWS Internal")
    sc.expect("key-disabled", SEV["key-disabled"], dis, key2, root,
              "DisableKey of another, unrelated key — by the account's root user.")
    sc.filler(sc.at(14, 10), 3)
    sc.deliver(sc.at(14, 40), "scheduled again; root disables another key")

    sc.intro = """
Key deletion is irreversible once the waiting period ends, and everything encrypted under the key becomes
unrecoverable. This scenario schedules the deletion of a key that was in use an hour before, shows the calls that
fail because of it, cancels, and schedules again; an unrelated key is disabled by the root user.
"""
    sc.story = """
1. 08:55–09:10 `ReportingApp` uses the key. 09:55 `KeyAdmin` schedules its deletion (30 days): **key-deletion-scheduled**.
2. 10:05 a report fails with `KMSInvalidStateException` (pending deletion). 10:20 the deletion is cancelled — the key
   comes back **Disabled**; a call fails with `DisabledException`; 10:30 `EnableKey`; 10:40 it works again.
3. 14:00 IAM user `ops-oncall` schedules the deletion again with a 7-day window: **key-deletion-scheduled**.
4. 14:30 the root user disables another key: **key-disabled**.
"""
    sc.notes = """
- `key-deletion-scheduled` — \"ScheduleKeyDeletion\"; `key-disabled` — \"DisableKey\". Both are raised from the event
  alone; neither needs the key policy (both keys' policies are unknown here).
- The uses give no `unexpected-principal`: the policy is unknown (\"Not raised for a key whose policy is unknown\").
- Rules beyond section 6: \"a key scheduled for deletion that was used recently\" (issue 4) fits the first
  ScheduleKeyDeletion (last use 45 min before) and the second (last use 3 h 20 min before); the failed calls are the
  \"blast radius\" rule's material.
"""
    return sc


# ------------------------------------------------------------------------------------------------------------------
def s08_policy_changes() -> Scenario:
    sc = Scenario("policy-changes", "key policy changes: public statements, conditions that do or do not restrict, "
                                    "lockout, an external account", MAIN, "us-east-1", dt.date(2026, 10, 12))
    admin = Role(MAIN, "KeyAdmin")
    app = Role(MAIN, "AppRole")
    partner = Role(EXTERNAL, "PartnerIngest")
    key = sc.new_key("partner-exchange key")
    base = [stmt_root(MAIN), stmt_admins([admin.arn]), stmt_users([app.arn])]
    v0 = policy(*base)

    a = admin.session("sam.admin", sc.at(8, 58))
    ck = sc.create_key(sc.at(9, 0, 0), a, key, v0, "Data exchanged with a partner")
    key.policy_versions.append((f"from {ck['eventTime']}", f"CreateKey `{ck['eventID']}` (V0)", v0))
    sc.quiet(ck, a, "Sound policy V0.")
    s = app.session("exchange-api", sc.at(9, 4))
    e = sc.encrypt(sc.at(9, 5, 10), s, key, {"exchange": "partner-a"}, user_agent=JAVA_UA)
    sc.quiet(e, s, "AppRole is named.")
    sc.filler(sc.at(9, 2), 3)
    sc.deliver(sc.at(9, 15), "key created")

    def put(t, pol, label, *, bypass=False, error=None):
        ev = sc.put_key_policy(t, a, key, pol, bypass=bypass, error=error)
        if error is None:
            key.policy_versions.append((f"from {ev['eventTime']}", f"PutKeyPolicy `{ev['eventID']}` ({label})", pol))
        return ev

    p1 = put(sc.at(9, 20, 4), policy(*base, {"Sid": "AllowAnyoneToDecrypt", "Effect": "Allow", "Principal": "*",
                                             "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}), "P1")
    sc.expect("policy-public-access", SEV["policy-public-access"], p1, key, a,
              "Statement AllowAnyoneToDecrypt: Allow, Principal \"*\", no Condition at all — anyone in any account "
              "whose own IAM allows it can decrypt.")
    p2 = put(sc.at(9, 35, 40), policy(*base, {"Sid": "AllowAccountPrincipals", "Effect": "Allow",
                                              "Principal": {"AWS": "*"}, "Action": ["kms:Decrypt", "kms:DescribeKey"],
                                              "Resource": "*",
                                              "Condition": {"StringEquals": {"kms:CallerAccount": MAIN}}}), "P2")
    sc.quiet(p2, a, "Principal {\"AWS\": \"*\"} but Condition StringEquals kms:CallerAccount = 111122223333 restricts "
                    "the caller to one account: not public.")
    sc.filler(sc.at(9, 25), 2)
    sc.deliver(sc.at(9, 45), "P1 public, P2 restricted to the account")

    p3 = put(sc.at(9, 50, 12), policy(*base, {"Sid": "AllowOrganization", "Effect": "Allow", "Principal": "*",
                                              "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*",
                                              "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG_ID}}}), "P3")
    sc.quiet(p3, a, f"Principal \"*\" restricted by aws:PrincipalOrgID = {ORG_ID}: callers of one organization, "
                    "not public.")
    p3b = put(sc.at(10, 5, 33), policy(*base, {"Sid": "AllowDecryptThroughS3", "Effect": "Allow", "Principal": "*",
                                               "Action": "kms:Decrypt", "Resource": "*",
                                               "Condition": {"StringEquals": {
                                                   "kms:ViaService": "s3.us-east-1.amazonaws.com"}}}), "P3b")
    sc.expect("policy-public-access", SEV["policy-public-access"], p3b, key, a,
              "Statement AllowDecryptThroughS3: Principal \"*\" with only a kms:ViaService condition. That restricts "
              "the path (through S3), not the caller: anyone in any account can decrypt through S3. Public.")
    fail_pol = policy({"Sid": "Allow access for Key Administrators", "Effect": "Allow",
                       "Principal": {"AWS": admin.arn},
                       "Action": ["kms:Describe*", "kms:List*", "kms:Get*", "kms:Enable*", "kms:Disable*",
                                  "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"], "Resource": "*"},
                      stmt_users([app.arn]))
    p4 = put(sc.at(10, 20, 8), fail_pol, "rejected", error=(
        "MalformedPolicyDocumentException",
        "The new key policy will not allow you to update the key policy in the future."))
    sc.quiet(p4, a, "The same lock-out policy as P7 but without the bypass: KMS's safety check rejected it "
                    "(MalformedPolicyDocumentException), the policy in force did not change. Failed: no finding.")
    sc.filler(sc.at(10, 0), 3)
    sc.deliver(sc.at(10, 25), "P3 organization, P3b public through S3, a rejected lock-out")

    p5 = put(sc.at(10, 35, 0), v0, "P5 = V0, bypass", bypass=True)
    sc.expect("policy-lockout-risk", SEV["policy-lockout-risk"], p5, key, a,
              "bypassPolicyLockoutSafetyCheck: true — the policy itself (V0) is sound, but setting the flag is what "
              "the rule names.")
    ext = {"Sid": f"Allow use of the key by account {EXTERNAL}", "Effect": "Allow",
           "Principal": {"AWS": f"arn:aws:iam::{EXTERNAL}:root"},
           "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
           "Resource": "*"}
    p6 = put(sc.at(10, 50, 30), policy(*base, ext), "P6")
    sc.quiet(p6, a, f"Adds external account {EXTERNAL} by its root principal: not public (one named account), not a "
                    "lock-out. (Issue 4's \"policy changes that add an external account\" would fire here.)")
    sc.filler(sc.at(10, 40), 3)
    sc.deliver(sc.at(11, 0), "P5 with the bypass flag, P6 adds a partner account")

    ps = partner.session("ingest-worker", sc.at(11, 8))
    x1 = sc.decrypt(sc.at(11, 10, 3), ps, key, {"exchange": "partner-a"}, key_ref=key.arn, shared_event=True,
                    user_agent=BOTO_UA)
    sc.quiet(x1, ps, f"PartnerIngest of {EXTERNAL} is named by the statement for arn:aws:iam::{EXTERNAL}:root — the "
                     "external account's delegation, not \"the account-root delegation statement\" of the key's own "
                     "account. The key owner chose to trust that account; its IAM decides which of its principals.")
    acct = aws_account(EXTERNAL, f"{partner.role_id}:ingest-worker")
    x2 = sc.gdk(sc.at(11, 15, 48), acct, key, {"exchange": "partner-a"}, shared_event=True, user_agent=BOTO_UA)
    sc.quiet(x2, acct, f"The same partner seen as an AWSAccount identity (account {EXTERNAL} only): principal "
                       f"arn:aws:iam::{EXTERNAL}:root, named by P6.")
    p7_pol = policy(fail_pol["Statement"][0], stmt_users([app.arn]), ext)
    p7 = put(sc.at(11, 30, 0), p7_pol, "P7: nobody may PutKeyPolicy", bypass=True)
    sc.expect("policy-lockout-risk", SEV["policy-lockout-risk"], p7, key, a,
              "No statement allows kms:PutKeyPolicy (no root statement, the administrators lost kms:Put*) AND "
              "bypassPolicyLockoutSafetyCheck is true — one finding for the event. From now on only AWS Support can "
              "restore control of the key.")
    x3 = sc.decrypt(sc.at(11, 45, 20), ps, key, {"exchange": "partner-a"}, key_ref=key.arn, shared_event=True,
                    user_agent=BOTO_UA)
    sc.quiet(x3, ps, "Still named by the external-account statement kept in P7.")
    s2 = app.session("exchange-api", sc.at(11, 49))
    d = sc.decrypt(sc.at(11, 50, 2), s2, key, {"exchange": "partner-a"}, user_agent=JAVA_UA)
    sc.quiet(d, s2, "AppRole is named in P7.")
    sc.filler(sc.at(11, 20), 3)
    sc.deliver(sc.at(11, 55), "the partner uses the key; P7 locks the policy")

    sc.intro = """
A run of `PutKeyPolicy` changes on one key, each probing one clause of the policy rules: a statement for principal
`*` with no condition (public), `*` restricted by `kms:CallerAccount` or `aws:PrincipalOrgID` (not public), `*` with
only a `kms:ViaService` condition (public: the path is restricted, the caller is not), a lock-out rejected by KMS's
safety check, the bypass flag, an external account added and using the key, and finally a policy nobody can change.
"""
    sc.story = """
Every change is made by `KeyAdmin`, allowed by the policy in force before it (`kms:Put*`). The external account
`777788889999` is added at 10:50 and its role `PartnerIngest` then uses the key (one call recorded as an `AWSAccount`
identity). At 11:30 P7 removes every permission to call `kms:PutKeyPolicy`, with the bypass flag.
"""
    sc.notes = f"""
- `policy-public-access` — \"CreateKey or PutKeyPolicy with an Allow statement for principal `*` whose conditions do
  not restrict the caller to an account or organization\". `kms:CallerAccount` and `aws:PrincipalOrgID` restrict
  the caller; `kms:ViaService` does not.
- `policy-lockout-risk` — \"CreateKey or PutKeyPolicy whose policy lets no principal call `kms:PutKeyPolicy`, or that
  sets `bypassPolicyLockoutSafetyCheck`\": P5 (flag only) and P7 (both: one finding). **Interpretation:** the rejected
  PutKeyPolicy (errorCode MalformedPolicyDocumentException) changed nothing and gives no finding — KMS's own safety check
  did its job. A successful lock-out policy is only possible with the bypass flag, which is why P7 carries it.
- The partner's calls give no `unexpected-principal`: {NAMING_NOTE}
"""
    return sc


# ------------------------------------------------------------------------------------------------------------------
def s09_access_denied_burst() -> Scenario:
    sc = Scenario("access-denied-burst", "a role hammering keys it may not use", MAIN, "us-east-1",
                  dt.date(2026, 10, 13))
    ci = Role(MAIN, "ci-runner", path="/ci/")
    payments = Role(MAIN, "payments-api")
    dave = iam_user(MAIN, "dave")
    ka = sc.new_key("payments key")
    kb = sc.new_key("ledger key")

    pa = payments.session("payments-api-task-1", sc.at(13, 55))
    ok = sc.decrypt(sc.at(13, 59, 30), pa, ka, {"service": "payments"}, user_agent=JAVA_UA)
    sc.quiet(ok, pa, "Successful; the keys' policies are unknown: no unexpected-principal.")
    c = ci.session("gh-actions-run-8812", sc.at(13, 59))
    times = [(14, 0, 5), (14, 0, 50), (14, 1, 40), (14, 2, 30), (14, 3, 30), (14, 4, 45), (14, 5, 55)]
    burst = []
    for i, (h, m, s_) in enumerate(times):
        k = ka if i % 2 == 0 else kb
        ev = sc.decrypt(sc.at(h, m, s_), c, k, {"service": "payments" if k is ka else "ledger"}, key_ref=k.arn,
                        user_agent=BOTO_UA, error=denied(c.user_identity["arn"], "kms:Decrypt", k.arn))
        burst.append(ev)
        if i == 4:
            sc.filler(sc.at(13, 58), 3)
            sc.deliver(sc.at(14, 5), "first five denials")
    sc.expect("access-denied-burst", SEV["access-denied-burst"], burst[4], ka, c,
              "Fifth AccessDenied by role /ci/ci-runner within ten minutes (14:00:05–14:03:30; seven in 5 min 50 s "
              "in all, on two keys — the rule counts per principal, not per key). One finding for the burst.",
              evidence=burst[:4] + burst[5:])
    for ev in burst[5:]:
        sc.quiet(ev, c, "Part of the burst already reported: \"one finding per burst\".")
    sc.filler(sc.at(14, 4), 2)
    sc.deliver(sc.at(14, 10), "two more denials, same burst")

    for h, m, s_ in [(14, 20, 10), (14, 23, 0), (14, 26, 30), (14, 29, 40)]:
        ev = sc.gdk(sc.at(h, m, s_), dave, kb, {"service": "ledger"}, key_ref=kb.arn,
                    error=("AccessDeniedException",
                           f"User: {dave.principal} is not authorized to perform: kms:GenerateDataKey on resource: "
                           f"{kb.arn} because no resource-based policy allows the kms:GenerateDataKey action"))
        sc.quiet(ev, dave, "dave: only four denials in 9 min 30 s — fewer than five, no burst (errorCode "
                           "AccessDeniedException also counts as AccessDenied…).")
    ok2 = sc.decrypt(sc.at(14, 31, 0), pa, kb, {"service": "ledger"}, user_agent=JAVA_UA)
    sc.quiet(ok2, pa, "Successful, policy unknown.")
    sc.filler(sc.at(14, 22), 4)
    sc.deliver(sc.at(14, 40), "dave: four denials")

    c2 = ci.session("gh-actions-run-8830", sc.at(15, 9))
    for h, m, s_ in [(15, 10, 0), (15, 12, 30), (15, 15, 10)]:
        ev = sc.decrypt(sc.at(h, m, s_), c2, ka, {"service": "payments"}, key_ref=ka.arn, user_agent=BOTO_UA,
                        error=denied(c2.user_identity["arn"], "kms:Decrypt", ka.arn))
        sc.quiet(ev, c2, "ci-runner again an hour later: three denials in ten minutes — fewer than five, no new burst.")
    sc.filler(sc.at(15, 5), 4)
    sc.deliver(sc.at(15, 20), "ci-runner again, three denials")

    sc.intro = """
A burst of `AccessDenied` is what a misconfigured pipeline — or an attacker probing with stolen credentials — looks
like. Role `/ci/ci-runner` is denied `Decrypt` seven times in under six minutes, alternating between two keys; an hour
later three more; IAM user `dave` is denied four times in ten minutes.
"""
    sc.story = """
1. 14:00:05–14:05:55 seven denials of `/ci/ci-runner` (four on the payments key, three on the ledger key), across two
   log files: **one access-denied-burst**, triggered by the fifth (14:03:30).
2. 14:20–14:29 four `AccessDeniedException` of `dave`: no burst.
3. 15:10–15:15 three more of ci-runner: no second burst.
"""
    sc.notes = """
- `access-denied-burst` — \"five or more KMS calls by one principal denied (`errorCode` AccessDenied…) within ten
  minutes, one finding per burst\". The finding's event is the one that reaches five; the others are its evidence
  (which of them an implementation lists is its choice; the set above is the whole burst).
- The keys' policies are unknown: the successful calls raise nothing.
"""
    return sc


# ------------------------------------------------------------------------------------------------------------------
def s10_unknown_policy() -> Scenario:
    sc = Scenario("unknown-policy", "calls on keys whose policy the auditor never saw", MAIN, "eu-west-1",
                  dt.date(2026, 10, 14))
    reporting = Role(MAIN, "reporting")
    vendor = Role(OTHER, "VendorSync")
    worker = Role(MAIN, "batch-worker")
    erin = iam_user(MAIN, "erin")
    key = sc.new_key("pre-existing key")
    s3_managed = sc.new_key("aws/s3 (AWS managed key)")

    r = reporting.session("q4-close", sc.at(9, 0))
    d = sc.decrypt(sc.at(9, 2, 10), r, key, {"dataset": "q3"}, user_agent=BOTO_UA)
    sc.quiet(d, r, "Policy unknown: \"Not raised for a key whose policy is unknown\".")
    v = vendor.session("sync-1", sc.at(9, 4))
    dv = sc.decrypt(sc.at(9, 5, 44), v, key, {"dataset": "q3"}, key_ref=key.arn, shared_event=True,
                    user_agent=JAVA_UA)
    sc.quiet(dv, v, f"A caller of another account ({OTHER}): still nothing — the auditor cannot know whether the "
                    "policy names that account.")
    cg, gid = sc.create_grant(sc.at(9, 10, 0), erin, key, worker.arn, ["Decrypt", "RetireGrant"],
                              subset={"dataset": "q3"})
    sc.quiet(cg, erin, "Grantee in the key's account: no grant-external-principal.")
    sc.filler(sc.at(9, 3), 3)
    sc.deliver(sc.at(9, 15), "uses, and a grant")

    w = worker.session("job-771", sc.at(9, 19))
    dw = sc.decrypt(sc.at(9, 20, 30), w, key, {"dataset": "q3", "part": "1"}, user_agent=BOTO_UA)
    sc.quiet(dw, w, "Through the grant.")
    rg = sc.retire_grant(sc.at(9, 25, 0), w, key, gid)
    sc.quiet(rg, w, "The grantee retires its own grant (the grant includes RetireGrant).")
    late = sc.decrypt(sc.at(9, 55, 5), w, key, {"dataset": "q3", "part": "2"}, user_agent=BOTO_UA)
    sc.quiet(late, w, "Matches the grant retired 30 minutes earlier, but no retired-grant-use: with the policy unknown, "
                      "\"where no key-policy statement names the caller for that operation\" cannot be established "
                      "(issue 4: no retired-grant-use on any key whose policy is unknown).")
    sc.filler(sc.at(9, 30), 3)
    sc.deliver(sc.at(10, 0), "the grant is retired, the grantee still succeeds")

    up = Role(MAIN, "uploader").session("upload-42", sc.at(10, 9))
    ctx = {"aws:s3:arn": "arn:aws:s3:::amzn-s3-demo-bucket-uploads/in/2026/10/14/batch-42.csv"}
    gm = sc.gdk(sc.at(10, 10, 0), up.with_invoked_by("s3.amazonaws.com"), s3_managed, ctx, key_ref="alias/aws/s3")
    sc.quiet(gm, up.with_invoked_by("s3.amazonaws.com"),
             "The AWS managed key aws/s3 through S3: its policy is not in the trail either.")
    sc.filler(sc.at(10, 5), 3)
    sc.deliver(sc.at(10, 15), "an upload with the AWS managed key")

    sc.intro = """
The common case when an auditor starts on an existing account: keys created long before the trail, no inventory.
Without the key policy, \"who was allowed\" is unknowable — so the auditor must stay silent on the policy-dependent
rules rather than guess.
"""
    sc.story = """
Calls by a same-account role, by a role of another account, a grant created, used, retired by its grantee, and the
grantee succeeding 30 minutes after the retirement; an upload encrypted with the AWS managed key `aws/s3`.
"""
    sc.notes = f"""
- `unexpected-principal` — {CLAUSE_UNEXPECTED}
- `retired-grant-use` — {CLAUSE_RETIRED} Its clause \"where no key-policy statement names the caller\" cannot be
  decided without the policy; issue 4's acceptance: \"raises no `unexpected-principal` or `retired-grant-use` on any key
  whose policy is unknown\".
- Rules that do not depend on the policy still apply: `grant-external-principal` would fire for an external grantee
  (none here), as would the key-state rules.
"""
    return sc


# ------------------------------------------------------------------------------------------------------------------
def s11_inventory_backed() -> Scenario:
    sc = Scenario("inventory-backed", "policy, grants and alias known from an inventory snapshot taken before the trail",
                  MAIN, "us-east-1", dt.date(2026, 10, 15))
    admin = Role(MAIN, "KeyAdmin")
    inv_svc = Role(MAIN, "InvoiceService")
    reporting = Role(MAIN, "ReportingJob")
    ops = Role(MAIN, "PlatformOps")
    fn_role = Role(MAIN, "invoice-pdf-fn-role", path="/service-role/")
    ds = Role(MAIN, "DataScience")
    vendor = Role(OTHER, "VendorSync")
    key = sc.new_key("invoices key")
    key.alias = "alias/invoices"
    pol = policy(stmt_root(MAIN), stmt_admins([admin.arn]), stmt_users([inv_svc.arn]), pid="key-consolepolicy-3")
    captured = "2026-10-15T06:00:00Z"
    created = "2025-03-02T10:14:55.204000+00:00"
    ga, gb = sc.hex64(), sc.hex64()
    fn_arn = f"arn:aws:lambda:us-east-1:{MAIN}:function:invoice-pdf"
    sc.inventory = {
        "capturedAt": captured,
        "Keys": [{
            "KeyMetadata": {
                "AWSAccountId": MAIN, "KeyId": key.id, "Arn": key.arn, "CreationDate": created, "Enabled": True,
                "Description": "Invoices", "KeyUsage": "ENCRYPT_DECRYPT", "KeyState": "Enabled", "Origin": "AWS_KMS",
                "KeyManager": "CUSTOMER", "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT", "KeySpec": "SYMMETRIC_DEFAULT",
                "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"], "MultiRegion": False,
            },
            "Policy": json.dumps(pol, indent=2),
            "Grants": [
                {"KeyId": key.arn, "GrantId": ga, "Name": "reporting-acme",
                 "CreationDate": "2026-06-01T08:00:12.118000+00:00", "GranteePrincipal": reporting.arn,
                 "RetiringPrincipal": ops.arn, "IssuingAccount": f"arn:aws:iam::{MAIN}:root",
                 "Operations": ["Decrypt"], "Constraints": {"EncryptionContextSubset": {"tenant": "acme"}}},
                {"KeyId": key.arn, "GrantId": gb, "Name": "",
                 "CreationDate": "2026-08-20T14:31:09.772000+00:00", "GranteePrincipal": fn_role.arn,
                 "IssuingAccount": f"arn:aws:iam::{MAIN}:root", "Operations": ["Decrypt"],
                 "Constraints": {"EncryptionContextSubset": {"aws:lambda:FunctionArn": fn_arn}}},
            ],
            "Aliases": [{"AliasName": "alias/invoices", "AliasArn": f"arn:aws:kms:us-east-1:{MAIN}:alias/invoices",
                         "TargetKeyId": key.id, "CreationDate": created, "LastUpdatedDate": created}],
        }],
    }
    key.policy_versions.append((f"from {captured}", "`inventory.json` (capturedAt; GetKeyPolicy output)", pol))

    i1 = inv_svc.session("invoice-svc-task-3", sc.at(8, 59))
    e = sc.encrypt(sc.at(9, 1, 15), i1, key, {"tenant": "acme", "invoice": "INV-2026-10-0001"},
                   key_ref="alias/invoices", user_agent=JAVA_UA, vpce="vpce-0a1b2c3d4e5f60718", version="1.10")
    sc.quiet(e, i1, "InvoiceService is named by \"Allow use of the key\"; alias/invoices resolves through the "
                    "inventory's Aliases.")
    g = sc.gdk(sc.at(9, 3, 2), i1, key, {"tenant": "globex", "invoice": "INV-2026-10-0002"}, key_ref="alias/invoices",
               user_agent=JAVA_UA)
    sc.quiet(g, i1, "InvoiceService is named.")
    rj = reporting.session("nightly-acme", sc.at(9, 9))
    d = sc.decrypt(sc.at(9, 10, 40), rj, key, {"tenant": "acme", "invoice": "INV-2026-10-0001"}, user_agent=BOTO_UA)
    sc.quiet(d, rj, f"Authorized by inventory grant `{ga[:12]}…` (ReportingJob, Decrypt, tenant=acme).")
    bad = sc.decrypt(sc.at(9, 12, 5), rj, key, {"tenant": "globex", "invoice": "INV-2026-10-0002"}, user_agent=BOTO_UA,
                     error=denied(rj.user_identity["arn"], "kms:Decrypt", key.arn))
    sc.quiet(bad, rj, "tenant=globex is outside the grant's constraint: denied. Failed, no finding.")
    sc.filler(sc.at(9, 4), 3)
    sc.deliver(sc.at(9, 15), "the service and the reporting grantee")

    fs = fn_role.session("invoice-pdf", sc.at(9, 30))
    d2 = sc.decrypt(sc.at(9, 30, 8), fs, key, {"aws:lambda:FunctionArn": fn_arn}, user_agent=LAMBDA_UA)
    sc.quiet(d2, fs, f"Authorized by inventory grant `{gb[:12]}…` (role /service-role/invoice-pdf-fn-role).")
    dss = ds.session("notebook-ana", sc.at(9, 40))
    d3 = sc.decrypt(sc.at(9, 41, 19), dss, key, {"tenant": "acme", "invoice": "INV-2026-10-0001"},
                    key_ref="alias/invoices", user_agent=BOTO_UA)
    sc.expect("unexpected-principal", "medium", d3, key, dss,
              "DataScience (same account) is named by no statement of the inventory policy and holds none of its "
              "grants; only the root delegation explains the call. The key is given by alias: resolved through the "
              "inventory.")
    vs = vendor.session("sync-7", sc.at(9, 50))
    d4 = sc.decrypt(sc.at(9, 51, 3), vs, key, {"tenant": "acme", "invoice": "INV-2026-10-0001"}, key_ref=key.arn,
                    shared_event=True, user_agent=JAVA_UA)
    sc.expect("unexpected-principal", "high", d4, key, vs,
              f"VendorSync of account {OTHER} succeeds, yet the policy names no principal of {OTHER} and no grant is "
              "its: nothing explains the call, and the caller is in another account. Either the inventory is stale "
              "(a policy change or grant outside the trail) or something is badly wrong.")
    a = admin.session("sam.admin", sc.at(9, 55))
    dk = sc.simple(sc.at(9, 56, 0), "DescribeKey", a, key, key_ref="alias/invoices")
    sc.quiet(dk, a, "KeyAdmin is named.")
    sc.filler(sc.at(9, 35), 3)
    sc.deliver(sc.at(10, 5), "a Lambda grantee, a data scientist and a vendor")

    sc.without_options = ("0 findings instead of 2 (the key's policy is unknown without the inventory, and "
                          "`alias/invoices` cannot be resolved).")
    sc.replay_options = """
`inventory.json` (CONTRACT section 4) holds what `aws kms describe-key`, `get-key-policy`, `list-grants` and
`list-aliases` returned at `capturedAt` 2026-10-15T06:00:00Z, three hours before the trail. Without `--inventory`
the key's policy is unknown and this scenario gives **no** finding.
"""
    sc.intro = """
A key created long before the trail, known from an inventory snapshot: its policy (root delegation, administrators,
one key user), two grants (a role with an `EncryptionContextSubset`, a Lambda execution role) and its alias. The trail
then uses the key by alias and by ARN.
"""
    sc.story = """
1. 09:01 `InvoiceService` encrypts through `alias/invoices` (named by the policy).
2. 09:10 `ReportingJob` decrypts through its inventory grant; 09:12 outside the grant's constraint: denied.
3. 09:30 the Lambda execution role decrypts through its inventory grant.
4. 09:41 role `DataScience` decrypts by alias: **unexpected-principal, medium** (same account, only IAM delegation).
5. 09:51 role `VendorSync` of `444455556666` decrypts by key ARN: **unexpected-principal, high** (another account,
   nothing explains it).
"""
    sc.notes = f"""
- `unexpected-principal` — {CLAUSE_UNEXPECTED}
- Inventory shapes are the KMS API's (DescribeKey `KeyMetadata`, GetKeyPolicy `Policy` string, ListGrants entries,
  ListAliases entries, timestamps as the AWS CLI prints them). \"`capturedAt` is the time the snapshot describes; trail
  events after it update the state.\"
- Rules beyond section 6: the Lambda grant has no retiring principal.
"""
    return sc


SCENARIOS = [s01_key_lifecycle, s02_s3_sse_kms, s03_iam_delegation_only, s04_grants_lifecycle,
             s05_aws_service_grants, s06_cross_account_autoscaling, s07_key_deletion, s08_policy_changes,
             s09_access_denied_burst, s10_unknown_policy, s11_inventory_backed]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.normpath(os.path.join(here, "..", "..", "sample-events")),
                    help="output directory (default: sample-events/ at the repository root)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for make in SCENARIOS:
        sc = make()
        rows.append(write_scenario(sc, args.out))
        print(f"{sc.name}: {rows[-1]['files']} files, {rows[-1]['records']} records, {rows[-1]['kms']} KMS, "
              f"expected {rows[-1]['counts']}")
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(index_readme(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
