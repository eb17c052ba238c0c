#!/usr/bin/env python3
"""A token server for the registry e2e tests (the registry itself stays real).

It implements the distribution token auth protocol that docker-registry 2.8 trusts
through `auth: token: rootcertbundle`:

  GET  /token?service=S&scope=repository:NAME:pull,push[&scope=...]
       HTTP Basic for the test account (wrong password: 401; anonymous: a token with
       no access, as Docker Hub does)
  POST /token  (OAuth2 form: grant_type=password or refresh_token, client_id required)
       password grants also return a refresh_token

Tokens are ES256 JWTs whose header carries the self-signed certificate in x5c; the
registry verifies that chain against the same certificate in its rootcertbundle.

Every token request appends one line per requested scope to --request-log
("METHOD<TAB>account<TAB>scope", scope "-" when none), so tests can assert that a
client caches tokens. The port is printed on stdout once listening.

The password comes from the environment variable CAIRN_TOKEN_PASSWORD so it is not
visible in the process list.
"""
import argparse
import base64
import datetime
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

MAX_FORM_BYTES = 64 * 1024


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def write_private(path, data):
    """Writes key material with mode 0600, atomically (temp file + rename)."""
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def load_or_create_key_and_cert(key_path, cert_path):
    if os.path.exists(key_path) and os.path.exists(cert_path):
        with open(key_path, "rb") as f:
            key = serialization.load_pem_private_key(f.read(), password=None)
        with open(cert_path, "rb") as f:
            cert = x509.load_pem_x509_certificate(f.read())
        return key, cert
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cairn-test-token-issuer")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=False, encipher_only=False, decipher_only=False),
            critical=True)
        .sign(key, hashes.SHA256())
    )
    write_private(key_path, key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with open(cert_path + ".tmp", "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    os.replace(cert_path + ".tmp", cert_path)
    return key, cert


def parse_scope(scope):
    """'repository:NAME:pull,push' -> (type, name, [actions]); names may hold ':' (ports)."""
    first = scope.find(":")
    last = scope.rfind(":")
    if first <= 0 or last == first:
        return None
    rtype = scope[:first]
    if "(" in rtype:  # a resource class, e.g. repository(plugin)
        rtype = rtype[:rtype.index("(")]
    actions = [a for a in scope[last + 1:].split(",") if a]
    return rtype, scope[first + 1:last], actions


class TokenIssuer:
    def __init__(self, args, key, cert):
        self.args = args
        self.key = key
        self.cert_der_b64 = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode("ascii")
        self.lock = threading.Lock()
        self.refresh_tokens = {}  # refresh token -> account

    def issue(self, account, service, scopes):
        now = int(time.time())
        access = []
        if account is not None:  # anonymous: no access at all
            for scope in scopes:
                parsed = parse_scope(scope)
                if parsed:
                    rtype, name, actions = parsed
                    access.append({"type": rtype, "name": name, "actions": actions})
        header = {"typ": "JWT", "alg": "ES256", "x5c": [self.cert_der_b64]}
        claims = {
            "iss": self.args.issuer,
            "sub": account or "",
            "aud": service,
            "exp": now + self.args.expires_in,
            "nbf": now - 1,
            "iat": now,
            "jti": secrets.token_hex(16),
            "access": access,
        }
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
                         b64url(json.dumps(claims, separators=(",", ":")).encode()))
        der = self.key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        # JWS ES256 signatures are R || S, 32 bytes each (RFC 7518 3.4), not DER.
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return signing_input + "." + b64url(signature), now

    def new_refresh_token(self, account):
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.refresh_tokens[token] = account
        return token

    def account_of_refresh_token(self, token):
        with self.lock:
            return self.refresh_tokens.get(token)

    def record(self, method, account, scopes):
        with self.lock:
            with open(self.args.request_log, "a", encoding="utf-8") as f:
                for scope in scopes or ["-"]:
                    f.write("%s\t%s\t%s\n" % (method, account or "-", scope))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    issuer = None  # set in main

    def log_message(self, fmt, *args):
        sys.stderr.write("token_server: " + (fmt % args) + "\n")

    def send_json(self, status, doc, extra_headers=()):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def refuse(self, message):
        self.send_json(401, {"errors": [{"code": "UNAUTHORIZED", "message": message}]},
                       [("WWW-Authenticate", 'Basic realm="cairn-test-token-server"')])

    def check_password(self, user, password):
        return (secrets.compare_digest(user.encode(), self.issuer.args.user.encode()) and
                secrets.compare_digest(password.encode(), self.issuer.args.password.encode()))

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/token":
            self.send_json(404, {"error": "not found"})
            return
        query = urllib.parse.parse_qs(url.query)
        service = query.get("service", [""])[0]
        scopes = query.get("scope", [])
        account = None
        auth = self.headers.get("Authorization", "")
        if auth:
            scheme, _, value = auth.partition(" ")
            if scheme.lower() != "basic":
                self.refuse("only HTTP Basic authentication is accepted here")
                return
            try:
                user, _, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                self.refuse("malformed Basic credentials")
                return
            if not self.check_password(user, password):
                self.issuer.record("GET-refused", user, scopes)
                self.refuse("wrong user name or password")
                return
            account = user
        self.issuer.record("GET", account, scopes)
        token, issued = self.issuer.issue(account, service, scopes)
        self.send_json(200, {
            "token": token,
            "access_token": token,
            "expires_in": self.issuer.args.expires_in,
            "issued_at": datetime.datetime.fromtimestamp(issued, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        })

    def do_POST(self):
        # OAuth2 as distribution's docs/spec/auth/oauth.md describes it.
        if urllib.parse.urlsplit(self.path).path != "/token":
            self.send_json(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_FORM_BYTES:
            self.close_connection = True
            self.send_json(400, {"error": "invalid_request", "error_description": "form too large"})
            return
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        field = lambda name: form.get(name, [""])[0]
        scopes = field("scope").split()
        if not field("client_id"):
            self.send_json(400, {"error": "invalid_request", "error_description": "client_id is required"})
            return
        grant = field("grant_type")
        refresh = None
        if grant == "password":
            if not self.check_password(field("username"), field("password")):
                self.issuer.record("POST-refused", field("username"), scopes)
                self.send_json(401, {"error": "invalid_grant", "error_description": "wrong user name or password"})
                return
            account = field("username")
            refresh = self.issuer.new_refresh_token(account)
        elif grant == "refresh_token":
            account = self.issuer.account_of_refresh_token(field("refresh_token"))
            if account is None:
                self.issuer.record("POST-refused", "-", scopes)
                self.send_json(401, {"error": "invalid_grant", "error_description": "unknown refresh token"})
                return
        else:
            self.send_json(400, {"error": "unsupported_grant_type"})
            return
        self.issuer.record("POST", account, scopes)
        token, issued = self.issuer.issue(account, field("service"), scopes)
        doc = {
            "access_token": token,
            "scope": " ".join(scopes),
            "expires_in": self.issuer.args.expires_in,
            "issued_at": datetime.datetime.fromtimestamp(issued, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        if refresh:
            doc["refresh_token"] = refresh
        self.send_json(200, doc)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--key", required=True, help="EC P-256 key (PEM); created when missing")
    parser.add_argument("--cert", required=True, help="self-signed certificate (PEM); created when missing")
    parser.add_argument("--request-log", required=True)
    parser.add_argument("--issuer", default="cairn-test-issuer")
    parser.add_argument("--user", default="cairn-test")
    parser.add_argument("--expires-in", type=int, default=300)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--init-only", action="store_true", help="write key and cert, then exit")
    args = parser.parse_args()
    args.password = os.environ.get("CAIRN_TOKEN_PASSWORD", "")
    if not args.password and not args.init_only:
        parser.error("CAIRN_TOKEN_PASSWORD is not set")
    key, cert = load_or_create_key_and_cert(args.key, args.cert)
    if args.init_only:
        return
    Handler.issuer = TokenIssuer(args, key, cert)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
