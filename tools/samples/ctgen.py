"""Building blocks for the sample CloudTrail trails: identities, records, key policies, log files.

Everything here is deterministic: identifiers come from a per-scenario seeded PRNG or from hashes of
names, timestamps are explicit, JSON key order is fixed and gzip is written with mtime=0, so running
make_samples.py twice produces byte-identical files.

Record shapes follow the AWS KMS Developer Guide's CloudTrail examples (../shared/real-trails/aws-docs-kms)
and the real Control Tower capture (../shared/real-trails/cribl-controltower-2022).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import random
import uuid

MAIN = "111122223333"      # the audited account
OTHER = "444455556666"     # a second account of the same organisation
EXTERNAL = "777788889999"  # an external (partner) account
ORG_ID = "o-a1b2c3d4e5"

SECTION6_RULES = ["unexpected-principal", "retired-grant-use", "grant-external-principal", "policy-public-access",
                  "policy-lockout-risk", "key-deletion-scheduled", "key-disabled", "access-denied-burst"]

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

# The action list of the "key administrators" statement the KMS console writes.
ADMIN_ACTIONS = [
    "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
    "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
    "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
]
USER_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]

READ_ONLY_KMS = {
    "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
    "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "DescribeKey", "ListGrants",
    "ListAliases", "ListKeys", "GetKeyPolicy", "GetKeyRotationStatus", "Sign", "Verify", "GenerateMac",
    "VerifyMac", "GenerateRandom",
}

CLI_UA = ("aws-cli/2.17.50 md/awscrt#0.21.2 ua/2.0 os/linux#6.1.109-118.189.amzn2023.x86_64 md/arch#x86_64 "
          "lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2023 "
          "md/prompt#off md/command#kms.{op}")
JAVA_UA = ("aws-sdk-java/2.25.60 Linux/6.1.109-118.189.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/21.0.4+7-LTS "
           "Java/21.0.4 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/standard")
BOTO_UA = "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#5.10.226-214.880.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36"
LAMBDA_UA = ("aws-internal/3 aws-sdk-java/1.12.770 Linux/5.10.226-235.879.amzn2.x86_64 "
             "OpenJDK_64-Bit_Server_VM/25.422-b05 java/1.8.0_422 vendor/Oracle_Corporation cfg/retry-mode/standard")


def stable_id(prefix: str, name: str, length: int = 17) -> str:
    """An IAM-style unique id (AIDA…, AROA…) derived from a name, so one principal keeps one id everywhere."""
    digest = hashlib.sha256(name.encode()).digest()
    return prefix + "".join(UPPER[b % len(UPPER)] for b in digest[:length])


def iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def human_date(t: dt.datetime) -> str:
    """The 'Oct 5, 2026, 9:02:11 AM' format KMS writes in responseElements dates."""
    hour = t.hour % 12 or 12
    return f"{t.strftime('%b')} {t.day}, {t.year}, {hour}:{t.strftime('%M:%S')} {'AM' if t.hour < 12 else 'PM'}"


def policy_json(policy: dict) -> str:
    """A policy document as the KMS console stores it (and CloudTrail records it): pretty-printed JSON in a string."""
    return json.dumps(policy, indent=2)


def stmt_root(account: str) -> dict:
    return {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"}


def stmt_admins(arns: list[str], actions: list[str] | None = None) -> dict:
    return {"Sid": "Allow access for Key Administrators", "Effect": "Allow",
            "Principal": {"AWS": arns if len(arns) > 1 else arns[0]},
            "Action": actions or ADMIN_ACTIONS, "Resource": "*"}


def stmt_users(arns: list[str], sid: str = "Allow use of the key", condition: dict | None = None) -> dict:
    s = {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": arns if len(arns) > 1 else arns[0]},
         "Action": USER_ACTIONS, "Resource": "*"}
    if condition:
        s["Condition"] = condition
    return s


def stmt_grants(arns: list[str], sid: str = "Allow attachment of persistent resources") -> dict:
    return {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": arns if len(arns) > 1 else arns[0]},
            "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
            "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}


def policy(*statements: dict, pid: str = "key-consolepolicy-3") -> dict:
    return {"Version": "2012-10-17", "Id": pid, "Statement": list(statements)}


class Identity:
    """A caller: the CloudTrail userIdentity element plus the principal the CONTRACT reports for it."""

    def __init__(self, user_identity: dict, principal: str, account: str | None, label: str,
                 console: bool = False):
        self.user_identity = user_identity
        self.principal = principal
        self.account = account
        self.label = label
        self.console = console  # credentials from a console sign-in: the record says sessionCredentialFromConsole

    def with_invoked_by(self, service: str) -> "Identity":
        ui = dict(self.user_identity)
        ui["invokedBy"] = service
        return Identity(ui, self.principal, self.account, f"{self.label} via {service}", self.console)


def iam_user(account: str, name: str) -> Identity:
    arn = f"arn:aws:iam::{account}:user/{name}"
    ui = {"type": "IAMUser", "principalId": stable_id("AIDA", arn), "arn": arn, "accountId": account,
          "accessKeyId": stable_id("AKIA", arn + "/key", 16), "userName": name}
    return Identity(ui, arn, account, f"IAM user `{name}` ({account})")


def root_user(account: str) -> Identity:
    arn = f"arn:aws:iam::{account}:root"
    ui = {"type": "Root", "principalId": account, "arn": arn, "accountId": account,
          "accessKeyId": stable_id("ASIA", arn + "/console", 16)}
    return Identity(ui, arn, account, f"root user of {account}")


def aws_account(account: str, principal_id: str) -> Identity:
    """A caller from another account as the key owner's trail may show it: only its account and principal id."""
    ui = {"type": "AWSAccount", "principalId": principal_id, "accountId": account}
    return Identity(ui, f"arn:aws:iam::{account}:root", account, f"account {account} (AWSAccount identity)")


def aws_service(service: str) -> Identity:
    ui = {"type": "AWSService", "invokedBy": service}
    return Identity(ui, service, None, f"service `{service}`")


class Role:
    """An IAM role; session() gives the AssumedRole identity of one of its sessions."""

    def __init__(self, account: str, name: str, path: str = "/", principal_id: str | None = None):
        self.account = account
        self.name = name
        self.path = path
        self.arn = f"arn:aws:iam::{account}:role{path}{name}"
        self.role_id = principal_id or stable_id("AROA", self.arn)

    def session(self, session_name: str, created: dt.datetime, *, console: bool = False,
                invoked_by: str | None = None, session_principal_id: str | None = None,
                mfa: bool = False) -> Identity:
        ui: dict = {
            "type": "AssumedRole",
            "principalId": session_principal_id or f"{self.role_id}:{session_name}",
            "arn": f"arn:aws:sts::{self.account}:assumed-role/{self.name}/{session_name}",
            "accountId": self.account,
            "accessKeyId": stable_id("ASIA", f"{self.arn}/{session_name}/{iso(created)}", 16),
            "sessionContext": {
                "sessionIssuer": {"type": "Role", "principalId": self.role_id, "arn": self.arn,
                                  "accountId": self.account, "userName": self.name},
                "attributes": {"creationDate": iso(created), "mfaAuthenticated": "true" if mfa else "false"},
            },
        }
        if console:
            ui["sessionContext"]["webIdFederationData"] = {}
        if invoked_by:
            ui["invokedBy"] = invoked_by
        label = f"role `{self.path}{self.name}` ({self.account}), session `{session_name}`"
        return Identity(ui, self.arn, self.account, label, console)


def key_arn(region: str, account: str, key_id: str) -> str:
    return f"arn:aws:kms:{region}:{account}:key/{key_id}"


class Key:
    def __init__(self, region: str, account: str, key_id: str, name: str):
        self.region = region
        self.account = account
        self.id = key_id
        self.arn = key_arn(region, account, key_id)
        self.name = name
        self.alias: str | None = None
        self.policy_versions: list[tuple[str, str, dict | None]] = []  # (when/eventId text, source, policy)

    def resource(self) -> dict:
        return {"accountId": self.account, "type": "AWS::KMS::Key", "ARN": self.arn}


class LogFile:
    def __init__(self, account: str, region: str, delivered: dt.datetime, unique: str, records: list[dict], note: str):
        self.account = account
        self.region = region
        self.delivered = delivered
        self.unique = unique
        self.records = records
        self.note = note

    def relpath(self) -> str:
        d = self.delivered
        name = f"{self.account}_CloudTrail_{self.region}_{d.strftime('%Y%m%dT%H%MZ')}_{self.unique}.json.gz"
        return os.path.join("AWSLogs", self.account, "CloudTrail", self.region,
                            d.strftime("%Y"), d.strftime("%m"), d.strftime("%d"), name)


class Scenario:
    """One sample scenario: its trail files, its expectations and its README."""

    def __init__(self, name: str, title: str, account: str, region: str, day: dt.date):
        self.name = name
        self.title = title
        self.account = account          # the trail's account (recipientAccountId)
        self.region = region
        self.day = day
        self.rng = random.Random(f"kms-trail-auditor/sample-events/{name}")
        self.pending: list[dict] = []
        self.files: list[LogFile] = []
        self.expected: list[dict] = []
        self.silent: list[dict] = []
        self.keys: list[Key] = []
        self.inventory: dict | None = None
        self.baseline: dict | None = None
        self.intro = ""
        self.story = ""
        self.notes = ""
        self.replay_options = ""
        self.without_options = ""  # how the counts differ when replayed without --inventory/--baseline

    # ---- identifiers -------------------------------------------------------------------------------
    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hex64(self) -> str:
        return "%064x" % self.rng.getrandbits(256)

    def token(self, n: int, alphabet: str = ALNUM) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def at(self, hh: int, mm: int, ss: int = 0, day_offset: int = 0) -> dt.datetime:
        d = dt.datetime(self.day.year, self.day.month, self.day.day, hh, mm, ss) + dt.timedelta(days=day_offset)
        return d

    def new_key(self, name: str, account: str | None = None, region: str | None = None) -> Key:
        k = Key(region or self.region, account or self.account, self.uuid(), name)
        self.keys.append(k)
        return k

    def instance_id(self) -> str:
        return "i-0" + "%016x" % self.rng.getrandbits(64)

    def volume_id(self) -> str:
        return "vol-0" + "%016x" % self.rng.getrandbits(64)

    # ---- records -----------------------------------------------------------------------------------
    def record(self, t: dt.datetime, source: str, name: str, who: Identity, params, response=None, *,
               region: str | None = None, error: tuple[str, str] | None = None, additional: dict | None = None,
               resources: list[dict] | None = None, read_only: bool | None = None, version: str = "1.08",
               source_ip: str | None = None, user_agent: str | None = None, management: bool = True,
               recipient: str | None = None, shared_event: bool = False, vpce: str | None = None,
               tls: bool | None = None, request_id: str | None = None, add: bool = True) -> dict:
        invoked_by = who.user_identity.get("invokedBy")
        service_call = invoked_by is not None
        if source_ip is None:
            source_ip = invoked_by if service_call else self.client_ip()
        if user_agent is None:
            user_agent = invoked_by if service_call else CLI_UA.format(op=name.lower())
        rec: dict = {
            "eventVersion": version,
            "userIdentity": who.user_identity,
            "eventTime": iso(t),
            "eventSource": source,
            "eventName": name,
            "awsRegion": region or self.region,
            "sourceIPAddress": source_ip,
            "userAgent": user_agent,
        }
        if error:
            rec["errorCode"], rec["errorMessage"] = error
        rec["requestParameters"] = params
        rec["responseElements"] = response
        if additional is not None:
            rec["additionalEventData"] = additional
        rec["requestID"] = request_id or self.uuid()
        rec["eventID"] = self.uuid()
        rec["readOnly"] = (name in READ_ONLY_KMS) if read_only is None else read_only
        if resources is not None:
            rec["resources"] = resources
        rec["eventType"] = "AwsApiCall"
        rec["managementEvent"] = management
        rec["recipientAccountId"] = recipient or self.account
        if shared_event:
            rec["sharedEventID"] = self.uuid()
        if vpce:
            rec["vpcEndpointId"] = vpce
            rec["vpcEndpointAccountId"] = recipient or self.account
        rec["eventCategory"] = "Management" if management else "Data"
        if tls is None:
            tls = not service_call
        if tls:
            host = f"{source.split('.')[0]}.{region or self.region}.amazonaws.com"
            if source == "iam.amazonaws.com":
                host = "iam.amazonaws.com"
            rec["tlsDetails"] = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                                 "clientProvidedHostHeader": host}
        if who.console and not service_call:
            rec["sessionCredentialFromConsole"] = "true"
        if add:
            self.pending.append(rec)
        return rec

    def kms(self, t: dt.datetime, name: str, who: Identity, key: Key | None, params, response=None, *,
            extra_resources: list[dict] | None = None, **kw) -> dict:
        resources = [key.resource()] if key else []
        if extra_resources:
            resources += extra_resources
        return self.record(t, "kms.amazonaws.com", name, who, params, response, resources=resources, **kw)

    def client_ip(self) -> str:
        nets = ["192.0.2", "198.51.100", "203.0.113"]
        return f"{self.rng.choice(nets)}.{self.rng.randint(10, 250)}"

    # Common KMS calls, with the request shapes of the AWS documentation examples.
    def create_key(self, t, who, key: Key, pol: dict | None, description: str, *, bypass=False, **kw) -> dict:
        params: dict = {"description": description, "keyUsage": "ENCRYPT_DECRYPT", "keySpec": "SYMMETRIC_DEFAULT",
                        "customerMasterKeySpec": "SYMMETRIC_DEFAULT", "origin": "AWS_KMS",
                        "bypassPolicyLockoutSafetyCheck": bypass, "multiRegion": False, "tags": []}
        if pol is not None:
            params["policy"] = policy_json(pol)
        meta = {"AWSAccountId": key.account, "keyId": key.id, "arn": key.arn, "creationDate": human_date(t),
                "enabled": True, "description": description, "keyUsage": "ENCRYPT_DECRYPT", "keyState": "Enabled",
                "origin": "AWS_KMS", "keyManager": "CUSTOMER", "customerMasterKeySpec": "SYMMETRIC_DEFAULT",
                "keySpec": "SYMMETRIC_DEFAULT", "encryptionAlgorithms": ["SYMMETRIC_DEFAULT"], "multiRegion": False}
        return self.kms(t, "CreateKey", who, key, params, {"keyMetadata": meta}, **kw)

    def create_alias(self, t, who, key: Key, alias: str, **kw) -> dict:
        key.alias = alias
        alias_res = {"accountId": key.account, "type": "AWS::KMS::Key",
                     "ARN": f"arn:aws:kms:{key.region}:{key.account}:{alias}"}
        return self.kms(t, "CreateAlias", who, key, {"aliasName": alias, "targetKeyId": key.id}, None,
                        extra_resources=[alias_res], **kw)

    def simple(self, t, name, who, key: Key, key_ref=None, response=None, extra_params=None, **kw) -> dict:
        params = {"keyId": key_ref or key.id}
        if extra_params:
            params.update(extra_params)
        return self.kms(t, name, who, key, params, response, **kw)

    def encrypt(self, t, who, key: Key, ctx: dict | None, key_ref=None, **kw) -> dict:
        params: dict = {"keyId": key_ref or key.arn, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"}
        if ctx:
            params["encryptionContext"] = ctx
        return self.kms(t, "Encrypt", who, key, params, None, **kw)

    def decrypt(self, t, who, key: Key, ctx: dict | None, key_ref: str | None = None, **kw) -> dict:
        # A symmetric Decrypt need not name the key: CloudTrail then records it only in `resources`.
        params: dict = {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}
        if key_ref:
            params["keyId"] = key_ref
        if ctx:
            params["encryptionContext"] = ctx
        return self.kms(t, "Decrypt", who, key, params, None, **kw)

    def gdk(self, t, who, key: Key, ctx: dict | None, key_ref=None, name="GenerateDataKey", **kw) -> dict:
        params: dict = {"keyId": key_ref or key.arn}
        if name == "GenerateDataKey":
            params["keySpec"] = "AES_256"
        else:
            params["numberOfBytes"] = 64
        if ctx:
            params["encryptionContext"] = ctx
        return self.kms(t, name, who, key, params, None, **kw)

    def create_grant(self, t, who, key: Key, grantee: str, operations: list[str], *, retiring: str | None = None,
                     subset: dict | None = None, equals: dict | None = None, name: str | None = None,
                     key_ref: str | None = None, **kw) -> tuple[dict, str]:
        grant_id = self.hex64()
        params: dict = {"keyId": key_ref or key.arn, "granteePrincipal": grantee}
        if retiring:
            params["retiringPrincipal"] = retiring
        params["operations"] = operations
        if subset or equals:
            params["constraints"] = ({"encryptionContextSubset": subset} if subset
                                     else {"encryptionContextEquals": equals})
        if name:
            params["name"] = name
        rec = self.kms(t, "CreateGrant", who, key, params, {"grantId": grant_id, "keyId": key.arn}, **kw)
        return rec, grant_id

    def retire_grant(self, t, who, key: Key, grant_id: str, **kw) -> dict:
        # The documented shape: no requestParameters, the grant id in additionalEventData.
        return self.kms(t, "RetireGrant", who, key, None, {"keyId": key.arn},
                        additional={"grantId": grant_id}, **kw)

    def revoke_grant(self, t, who, key: Key, grant_id: str, **kw) -> dict:
        return self.kms(t, "RevokeGrant", who, key, {"keyId": key.id, "grantId": grant_id}, None, **kw)

    def put_key_policy(self, t, who, key: Key, pol: dict, *, bypass=False, **kw) -> dict:
        params = {"keyId": key.id, "policyName": "default", "policy": policy_json(pol),
                  "bypassPolicyLockoutSafetyCheck": bypass}
        return self.kms(t, "PutKeyPolicy", who, key, params, None, **kw)

    # ---- non-KMS records, as a real trail mixes them in ---------------------------------------------
    def s3_object(self, t, who: Identity, op: str, bucket: str, obj: str, kms_key: Key | None, *, size=0) -> dict:
        params = {"bucketName": bucket, "Host": f"{bucket}.s3.{self.region}.amazonaws.com", "key": obj}
        response = None
        if op == "PutObject":
            params["x-amz-server-side-encryption"] = "aws:kms"
            if kms_key:
                params["x-amz-server-side-encryption-aws-kms-key-id"] = kms_key.arn
                response = {"x-amz-server-side-encryption": "aws:kms",
                            "x-amz-server-side-encryption-aws-kms-key-id": kms_key.arn}
        additional = {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                      "bytesTransferredIn": size if op == "PutObject" else 0, "SSEApplied": "SSE_KMS",
                      "AuthenticationMethod": "AuthHeader", "x-amz-id-2": self.token(56),
                      "bytesTransferredOut": size if op == "GetObject" else 0}
        resources = [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{obj}"},
                     {"accountId": self.account, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
        return self.record(t, "s3.amazonaws.com", op, who, params, response, additional=additional,
                           resources=resources, read_only=(op == "GetObject"), management=False, version="1.10",
                           request_id=self.token(16, "0123456789ABCDEF"),
                           user_agent=f"[{CLI_UA.format(op='s3.cp')}]")

    def filler(self, t: dt.datetime, n: int = 2, who: Identity | None = None) -> None:
        """Everyday non-KMS management events (STS, EC2, IAM, S3) around time t."""
        for i in range(n):
            tt = t + dt.timedelta(seconds=self.rng.randint(5, 200))
            kind = self.rng.choice(["assume", "describe-instances", "get-role", "list-buckets", "assume",
                                    "describe-volumes"])
            if kind == "assume":
                svc = self.rng.choice(["config.amazonaws.com", "lambda.amazonaws.com", "ec2.amazonaws.com"])
                role = {"config.amazonaws.com": "aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
                        "lambda.amazonaws.com": "service-role/orders-api-worker-role",
                        "ec2.amazonaws.com": "ec2-app-instance-role"}[svc]
                role_name = role.split("/")[-1]
                session = self.token(8, "0123456789abcdef")
                self.record(tt, "sts.amazonaws.com", "AssumeRole", aws_service(svc),
                            {"roleArn": f"arn:aws:iam::{self.account}:role/{role}", "roleSessionName": session,
                             "durationSeconds": 3600},
                            {"credentials": {"accessKeyId": stable_id("ASIA", session + iso(tt), 16),
                                             "sessionToken": "IQoJb3JpZ2luX2VjE" + self.token(40),
                                             "expiration": human_date(tt + dt.timedelta(hours=1))},
                             "assumedRoleUser": {"assumedRoleId": f"{stable_id('AROA', role_name)}:{session}",
                                                 "arn": f"arn:aws:sts::{self.account}:assumed-role/{role_name}/{session}"}},
                            resources=[{"accountId": self.account, "type": "AWS::IAM::Role",
                                        "ARN": f"arn:aws:iam::{self.account}:role/{role}"}],
                            read_only=True, shared_event=True, version="1.08")
            else:
                caller = who or Role(self.account, "ReadOnlyAuditor").session("auditor-sweep", tt - dt.timedelta(minutes=3))
                if kind == "describe-instances":
                    self.record(tt, "ec2.amazonaws.com", "DescribeInstances", caller,
                                {"instancesSet": {}, "filterSet": {}, "includeAllInstances": False}, None,
                                read_only=True, version="1.09", user_agent=BOTO_UA)
                elif kind == "describe-volumes":
                    self.record(tt, "ec2.amazonaws.com", "DescribeVolumes", caller,
                                {"volumeSet": {}, "filterSet": {}, "maxResults": 500}, None,
                                read_only=True, version="1.09", user_agent=BOTO_UA)
                elif kind == "get-role":
                    self.record(tt, "iam.amazonaws.com", "GetRole", caller, {"roleName": "ReadOnlyAuditor"}, None,
                                region="us-east-1", read_only=True, version="1.08", user_agent=BOTO_UA)
                else:
                    self.record(tt, "s3.amazonaws.com", "ListBuckets", caller,
                                {"Host": f"s3.{self.region}.amazonaws.com"}, None, read_only=True,
                                version="1.10", request_id=self.token(16, "0123456789ABCDEF"),
                                additional={"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                                            "bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader",
                                            "x-amz-id-2": self.token(56), "bytesTransferredOut": 612},
                                user_agent=BOTO_UA)

    # ---- files -------------------------------------------------------------------------------------
    def deliver(self, delivered: dt.datetime, note: str = "", records: list[dict] | None = None) -> LogFile:
        """Close a log file delivered at `delivered` holding the pending records (or the given ones)."""
        recs = records if records is not None else self.pending
        if records is None:
            self.pending = []
        for r in recs:
            assert r["eventTime"] <= iso(delivered), (self.name, r["eventName"], r["eventTime"], delivered)
        f = LogFile(self.account, self.region, delivered, self.token(16), recs, note)
        self.files.append(f)
        return f

    # ---- expectations ------------------------------------------------------------------------------
    def expect(self, rule: str, severity: str, ev: dict, key: Key | None, who: Identity, why: str,
               evidence: list[dict] | None = None, optional: bool = False) -> None:
        self.expected.append({
            "rule": rule, "severity": severity, "eventId": ev["eventID"], "eventTime": ev["eventTime"],
            "eventName": ev["eventName"], "keyArn": key.arn if key else None, "principal": who.principal,
            "evidence": [e["eventID"] for e in (evidence or [])], "optional": optional, "why": why,
        })

    def quiet(self, ev: dict, who: Identity, why: str, except_rules: list[str] | None = None) -> None:
        """An event that must raise none of the section 6 rules (or none but `except_rules`, listed separately)."""
        self.silent.append({"eventId": ev["eventID"], "eventTime": ev["eventTime"], "eventName": ev["eventName"],
                            "principal": who.principal, "errorCode": ev.get("errorCode"),
                            "mustNotRaise": [r for r in SECTION6_RULES if r not in (except_rules or [])],
                            "why": why})
