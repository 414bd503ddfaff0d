"""Nuage example (Procfile runtime): answers on $PORT with INSTANCE_NUMBER and GREETING; /health says ok."""
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = "ok\n" if self.path == "/health" else "runtime=procfile instance={} greeting={}\n".format(
            os.environ.get("INSTANCE_NUMBER", ""), os.environ.get("GREETING", ""))
        data = body.encode()
        self.send_response(200)
        self.send_header("content-type", "text/plain; charset=utf-8")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


HTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8080"))), Handler).serve_forever()
