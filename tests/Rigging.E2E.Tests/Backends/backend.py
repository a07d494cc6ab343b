"""A tiny HTTP/1.1 backend for the end-to-end tests, run under `rig run`.

  python3 backend.py --port N --name NAME --mode ok|fail|flaky

ok: 200 always; fail: 500 always; flaky: 503 on every other request (the 1st, 3rd, ...), 200 otherwise.
Every answer names the backend, its request count, and the x-forwarded-client-cert header its sidecar added
(present when the request came over mTLS). GET /_stats (asked straight on the app port, not through
the mesh) answers {"name":..., "requests": N, "attempts": [x-envoy-attempt-count of each request]} without
counting itself.
"""
import argparse, json, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--name", required=True)
parser.add_argument("--mode", choices=["ok", "fail", "flaky"], required=True)
args = parser.parse_args()
lock = threading.Lock()
state = {"requests": 0, "attempts": []}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/_stats":
            with lock:
                body = {"name": args.name, "requests": state["requests"], "attempts": list(state["attempts"])}
            return self.answer(200, body)
        with lock:
            state["requests"] += 1
            number = state["requests"]
            state["attempts"].append(self.headers.get("x-envoy-attempt-count", ""))
        if args.mode == "fail" or (args.mode == "flaky" and number % 2 == 1):
            status = 503 if args.mode == "flaky" else 500
        else:
            status = 200
        self.answer(status, {"name": args.name, "request": number, "status": status,
                             "xfcc": self.headers.get("x-forwarded-client-cert")})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_):
        pass


server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
server.daemon_threads = True
print(f"backend {args.name} ({args.mode}) listening on 127.0.0.1:{args.port}", flush=True)
server.serve_forever()
