#!/usr/bin/env python3
"""An HTTP/1.1 reverse proxy in front of a real registry, for the registry e2e tests.

  registry_proxy.py --upstream 127.0.0.1:PORT --log FILE --faults FILE [--referrers-api]

- Keep-alive on both sides; request and response bodies are streamed; the Host header
  goes upstream unchanged, so the registry's Location headers point at the proxy.
- --log: one line per request, "METHOD PATH STATUS" followed by the request headers a
  registry client's behaviour shows in (range=, if-match=, if-none-match=,
  authorization=Basic|Bearer|none; never the credentials), and fault=... when a rule applied.
- --faults: a JSON list of rules, re-read on every request so tests can change them while
  the proxy runs. A rule matches on "method" (absent or "*": any) and "path_regex"
  (searched in the request target, query included); "times" is how many matching
  requests it applies to (-1: always). The first matching rule that has uses left applies
  one action:
    {"status": 500|503|429, "retry_after": S}  answer that, without forwarding
    {"drop_after_bytes": N}   forward, send N bytes of the body, close the connection
    {"corrupt": true}         forward, flip one byte in the middle of the body
    {"delay_seconds": S}      wait, then forward (may accompany the others)
    {"redirect_to": "http://HOST:PORT"}  answer 307 with Location: that origin + the
                              request target, as registries do for blobs kept in storage
  Replacing the file's contents resets the use counters.
- --referrers-api: a test double of the OCI distribution spec 1.1 referrers API, which
  distribution 2.8 lacks: manifest PUTs whose body has a "subject" are remembered, the
  PUT answer gains "OCI-Subject: <subject digest>", and
  GET /v2/<name>/referrers/<digest>[?artifactType=X] answers an OCI image index of them.
  Without the flag such GETs are forwarded (distribution 2.8 answers 404).

The port is printed on stdout once listening.
"""
import argparse
import hashlib
import http.client
import json
import re
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
              "trailer", "trailers", "transfer-encoding", "upgrade", "expect", "content-length"}
CHUNK = 64 * 1024
MAX_CAPTURED_MANIFEST = 4 * 1024 * 1024  # distribution's own manifest size limit
INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json"
MANIFEST_PATH = re.compile(r"^/v2/(.+)/manifests/([^/?#]+)$")
REFERRERS_PATH = re.compile(r"^/v2/(.+)/referrers/([^/?#]+)$")
DIGEST = re.compile(r"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$")


class FaultRules:
    """The rule file, re-read per request; use counters reset when its contents change."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.text = None
        self.rules = []
        self.remaining = []

    def _reload(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            text = "[]"
        if text == self.text:
            return
        self.text = text
        try:
            rules = json.loads(text) if text.strip() else []
            if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
                raise ValueError("the fault file must hold a JSON list of objects")
        except ValueError as e:
            sys.stderr.write("registry_proxy: ignoring fault rules in %s: %s\n" % (self.path, e))
            rules = []
        self.rules = rules
        self.remaining = [int(r.get("times", -1)) for r in rules]

    def take(self, method, target):
        with self.lock:
            self._reload()
            for i, rule in enumerate(self.rules):
                want = str(rule.get("method", "*")).upper()
                if want not in ("*", method):
                    continue
                try:
                    if not re.search(rule.get("path_regex", ""), target):
                        continue
                except re.error as e:
                    sys.stderr.write("registry_proxy: bad path_regex %r: %s\n" % (rule.get("path_regex"), e))
                    continue
                if self.remaining[i] == 0:
                    continue
                if self.remaining[i] > 0:
                    self.remaining[i] -= 1
                return rule
            return None


class Referrers:
    """(repository, subject digest) -> descriptors, in the order they were pushed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_subject = {}

    def remember(self, repo, subject, descriptor):
        with self.lock:
            entries = self.by_subject.setdefault((repo, subject), [])
            entries[:] = [d for d in entries if d["digest"] != descriptor["digest"]]
            entries.append(descriptor)

    def forget(self, repo, digest):
        with self.lock:
            for (r, _), entries in self.by_subject.items():
                if r == repo:
                    entries[:] = [d for d in entries if d["digest"] != digest]

    def list(self, repo, subject):
        with self.lock:
            return list(self.by_subject.get((repo, subject), []))


def referrer_descriptor(body, content_type):
    """The descriptor the referrers API lists for a pushed manifest, and its subject digest."""
    try:
        doc = json.loads(body)
    except ValueError:
        return None, None
    if not isinstance(doc, dict) or not isinstance(doc.get("subject"), dict):
        return None, None
    subject = doc["subject"].get("digest")
    if not isinstance(subject, str):
        return None, None
    descriptor = {
        "mediaType": doc.get("mediaType") or content_type,
        "digest": "sha256:" + hashlib.sha256(body).hexdigest(),
        "size": len(body),
    }
    artifact_type = doc.get("artifactType")
    if not artifact_type and isinstance(doc.get("config"), dict):
        artifact_type = doc["config"].get("mediaType")
    if artifact_type:
        descriptor["artifactType"] = artifact_type
    if isinstance(doc.get("annotations"), dict):
        descriptor["annotations"] = doc["annotations"]
    return descriptor, subject


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    options = None  # set in main
    faults = None
    referrers = None
    log_lock = threading.Lock()

    def log_message(self, fmt, *args):
        pass  # the request log below is the record

    # --- plumbing -----------------------------------------------------------------

    def upstream(self):
        if getattr(self, "_upstream", None) is None:
            host, _, port = self.options.upstream.rpartition(":")
            self._upstream = http.client.HTTPConnection(host, int(port), timeout=120)
        return self._upstream

    def drop_upstream(self):
        if getattr(self, "_upstream", None) is not None:
            self._upstream.close()
            self._upstream = None

    def finish(self):
        self.drop_upstream()
        super().finish()

    def request_body_chunks(self):
        """The client's request body, decoded, in pieces."""
        length = self.headers.get("Content-Length")
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            while True:
                line = self.rfile.readline(1024)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return
                while size > 0:
                    piece = self.rfile.read(min(size, CHUNK))
                    if not piece:
                        raise ConnectionError("client closed mid-body")
                    size -= len(piece)
                    yield piece
                self.rfile.readline(8)
        elif length:
            left = int(length)
            while left > 0:
                piece = self.rfile.read(min(left, CHUNK))
                if not piece:
                    raise ConnectionError("client closed mid-body")
                left -= len(piece)
                yield piece

    def drain_request_body(self):
        for _ in self.request_body_chunks():
            pass

    def log_request_line(self, status, fault=None):
        parts = [self.command, self.path, str(status)]
        for header in ("Range", "If-Match", "If-None-Match"):
            value = self.headers.get(header)
            if value is not None:
                parts.append("%s=%s" % (header.lower(), value.replace(" ", "")))
        auth = self.headers.get("Authorization")
        parts.append("authorization=" + (auth.split(" ", 1)[0] if auth else "none"))
        if fault:
            parts.append("fault=" + fault)
        with self.log_lock:
            with open(self.options.log, "a", encoding="utf-8") as f:
                f.write(" ".join(parts) + "\n")

    def answer(self, status, body, headers=()):
        self.send_response_only(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def answer_error(self, status, code, message, headers=()):
        body = json.dumps({"errors": [{"code": code, "message": message}]}).encode()
        self.answer(status, body, [("Content-Type", "application/json")] + list(headers))

    # --- request handling ---------------------------------------------------------

    def handle_any(self):
        rule = self.faults.take(self.command, self.path)
        if rule and rule.get("delay_seconds"):
            time.sleep(float(rule["delay_seconds"]))
        if rule and "status" in rule:
            self.drain_request_body()
            status = int(rule["status"])
            headers = []
            if "retry_after" in rule:
                headers.append(("Retry-After", str(rule["retry_after"])))
            code = {429: "TOOMANYREQUESTS", 503: "UNAVAILABLE"}.get(status, "UNKNOWN")
            self.answer_error(status, code, "fault injected by registry_proxy", headers)
            self.log_request_line(status, "status")
            return
        if rule and "redirect_to" in rule:
            self.drain_request_body()
            self.answer(307, b"", [("Location", rule["redirect_to"].rstrip("/") + self.path)])
            self.log_request_line(307, "redirect")
            return
        path = urllib.parse.urlsplit(self.path).path
        if self.options.referrers_api and self.command == "GET" and REFERRERS_PATH.match(path):
            self.drain_request_body()
            self.log_request_line(self.answer_referrers(), None)
            return
        self.forward(rule)

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = handle_any

    def answer_referrers(self):
        """The OCI distribution spec 1.1 referrers API, answered from what was pushed here."""
        url = urllib.parse.urlsplit(self.path)
        repo, digest = REFERRERS_PATH.match(url.path).groups()
        # Ask the real registry whether this client may read the repository, so the
        # double demands the same credentials (and gives the same challenge) as a registry.
        check = http.client.HTTPConnection(*self.upstream_address(), timeout=60)
        try:
            headers = {"Host": self.headers.get("Host", self.options.upstream)}
            if self.headers.get("Authorization"):
                headers["Authorization"] = self.headers["Authorization"]
            check.request("GET", "/v2/%s/tags/list" % repo, headers=headers)
            resp = check.getresponse()
            resp.read()
            if resp.status == 401:
                challenge = resp.getheader("WWW-Authenticate")
                self.answer_error(401, "UNAUTHORIZED", "authentication required",
                                  [("WWW-Authenticate", challenge)] if challenge else [])
                return 401
        finally:
            check.close()
        if not DIGEST.match(digest):
            self.answer_error(400, "DIGEST_INVALID", "invalid digest %r" % digest)
            return 400
        manifests = self.referrers.list(repo, digest)
        headers = [("Content-Type", INDEX_MEDIA_TYPE)]
        wanted = urllib.parse.parse_qs(url.query).get("artifactType")
        if wanted:
            manifests = [d for d in manifests if d.get("artifactType") == wanted[0]]
            headers.append(("OCI-Filters-Applied", "artifactType"))
        index = {"schemaVersion": 2, "mediaType": INDEX_MEDIA_TYPE, "manifests": manifests}
        self.answer(200, json.dumps(index).encode(), headers)
        return 200

    def upstream_address(self):
        host, _, port = self.options.upstream.rpartition(":")
        return host, int(port)

    def forward(self, rule):
        path = urllib.parse.urlsplit(self.path).path
        manifest = MANIFEST_PATH.match(path)
        length = self.headers.get("Content-Length")
        capture = (self.options.referrers_api and self.command == "PUT" and manifest is not None and
                   length is not None and int(length) <= MAX_CAPTURED_MANIFEST)
        captured = b""
        conn = self.upstream()
        try:
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    conn.putheader(name, value)
            chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
            if capture:
                captured = b"".join(self.request_body_chunks())
                conn.putheader("Content-Length", str(len(captured)))
                conn.endheaders()
                conn.send(captured)
            elif chunked:
                conn.putheader("Transfer-Encoding", "chunked")
                conn.endheaders()
                for piece in self.request_body_chunks():
                    conn.send(b"%x\r\n" % len(piece) + piece + b"\r\n")
                conn.send(b"0\r\n\r\n")
            else:
                if length is not None:
                    conn.putheader("Content-Length", length)
                conn.endheaders()
                for piece in self.request_body_chunks():
                    conn.send(piece)
            resp = conn.getresponse()
        except (OSError, http.client.HTTPException) as e:
            self.drop_upstream()
            self.close_connection = True
            self.answer_error(502, "UNAVAILABLE", "registry_proxy: upstream failed: %s" % e)
            self.log_request_line(502, "upstream-error")
            return

        extra = []
        if capture and resp.status == 201:
            descriptor, subject = referrer_descriptor(captured, self.headers.get("Content-Type", ""))
            if descriptor:
                self.referrers.remember(manifest.group(1), subject, descriptor)
                extra.append(("OCI-Subject", subject))
        if self.options.referrers_api and self.command == "DELETE" and manifest and resp.status == 202:
            self.referrers.forget(manifest.group(1), manifest.group(2))

        fault = "delay" if rule and rule.get("delay_seconds") else None
        if rule and "drop_after_bytes" in rule:
            fault = "drop_after_bytes"
        elif rule and rule.get("corrupt"):
            fault = "corrupt"
        self.relay_response(resp, extra, rule, fault)
        if resp.will_close or fault == "drop_after_bytes":
            self.drop_upstream()

    def relay_response(self, resp, extra_headers, rule, fault):
        has_body = self.command != "HEAD" and resp.status not in (204, 304) and resp.status >= 200
        upstream_length = resp.getheader("Content-Length")
        body = None
        if fault == "corrupt" and has_body and upstream_length is None:
            body = resp.read()  # close-delimited or chunked: the middle is only known at the end
            upstream_length = str(len(body))
        self.send_response_only(resp.status, resp.reason)
        for name, value in resp.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        for name, value in extra_headers:
            self.send_header(name, value)
        if upstream_length is not None:
            self.send_header("Content-Length", upstream_length)
        elif has_body:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if not has_body:
            self.wfile.flush()
            self.log_request_line(resp.status, fault)
            return
        total = int(upstream_length) if upstream_length is not None else None
        flip_at = total // 2 if (fault == "corrupt" and total) else -1
        drop_at = int(rule["drop_after_bytes"]) if fault == "drop_after_bytes" else -1
        sent = 0
        pieces = [body] if body is not None else iter(lambda: resp.read(CHUNK), b"")
        for piece in pieces:
            if flip_at >= sent and flip_at < sent + len(piece):
                i = flip_at - sent
                piece = piece[:i] + bytes([piece[i] ^ 0x01]) + piece[i + 1:]
            if drop_at >= 0 and sent + len(piece) >= drop_at:
                piece = piece[:drop_at - sent]
                self.wfile.write(piece)
                self.wfile.flush()
                self.log_request_line(resp.status, fault)
                # Closed without the rest of the body: the client sees a short read.
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if total is None:
                self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
            else:
                self.wfile.write(piece)
            sent += len(piece)
        if total is None:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        self.log_request_line(resp.status, fault)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="HOST:PORT of the registry")
    parser.add_argument("--log", required=True, help="request log file")
    parser.add_argument("--faults", required=True, help="fault rule file (JSON list)")
    parser.add_argument("--referrers-api", action="store_true")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    ProxyHandler.options = args
    ProxyHandler.faults = FaultRules(args.faults)
    ProxyHandler.referrers = Referrers()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), ProxyHandler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
