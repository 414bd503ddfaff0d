"""Nuage example: answers on $PORT with its runtime, INSTANCE_NUMBER and GREETING; /health says ok."""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            body = "ok\n"
        else:
            body = "runtime=python instance={} greeting={}\n".format(
                os.environ.get("INSTANCE_NUMBER", ""), os.environ.get("GREETING", ""))
        data = body.encode()
        self.send_response(200)
        self.send_header("content-type", "text/plain; charset=utf-8")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


port = int(os.environ.get("PORT", "8080"))
print("listening on", port, flush=True)
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
