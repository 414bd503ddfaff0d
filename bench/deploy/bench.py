"""Measures deploys through a running nuage server; see run.sh. Standard library only."""
import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import tarfile
import time
import urllib.error
import urllib.request

POLL = 0.01  # seconds between polls, the same for deploys and the floor


def parse_args():
    p = argparse.ArgumentParser()
    for name in ("--api", "--router", "--token-file", "--examples", "--work"):
        p.add_argument(name, required=True)
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--floor-port", type=int, required=True)
    return p.parse_args()


class Api:
    def __init__(self, url, token):
        self.url, self.token = url, token

    def call(self, method, path, body=None, content_type="application/json"):
        req = urllib.request.Request(self.url + path, data=body, method=method)
        req.add_header("Authorization", "Bearer " + self.token)
        if body is not None:
            req.add_header("Content-Type", content_type)
        with urllib.request.urlopen(req, timeout=60) as res:
            return res.status, json.loads(res.read() or b"null")


def get(url, host=None):
    req = urllib.request.Request(url)
    if host:
        req.add_header("Host", host)
    try:
        with urllib.request.urlopen(req, timeout=5) as res:
            return res.status, res.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, ""


def versioned(source, dest, runtime, marker):
    """A copy of the example whose answer contains the marker, so the new version can be told from the old."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(source, dest)
    if runtime == "node":
        path = os.path.join(dest, "index.js")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("runtime=node", "runtime=node version=" + marker))
        return "/"
    with open(os.path.join(dest, "version.txt"), "w", encoding="utf-8") as f:
        f.write(marker + "\n")
    return "/version.txt"


def tar_of(directory):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name in sorted(os.listdir(directory)):
            tar.add(os.path.join(directory, name), arcname=name)
    return buf.getvalue()


def deploy_once(api, router, app, directory, path, marker):
    body = tar_of(directory)
    status, dto = api.call("POST", f"/v1/apps/{app}/deployments?message=bench", body, "application/octet-stream")
    uploaded = time.monotonic()  # the POST has returned (202): the upload is over
    assert status == 202, (status, dto)
    dep_id = dto["id"]
    done = serving = None
    deadline = uploaded + 300
    while time.monotonic() < deadline and (done is None or serving is None):
        if done is None:
            _, dep = api.call("GET", f"/v1/apps/{app}/deployments/{dep_id}")
            if dep["state"] in ("failed", "cancelled"):
                raise RuntimeError(f"deployment {dep_id} {dep['state']}: {dep.get('failureReason')}")
            if dep["state"] == "succeeded":
                done = time.monotonic()
                stages = dep["stages"]
        if serving is None:
            code, text = get(router + path, host=f"{app}.localhost")
            if code == 200 and marker in text:
                serving = time.monotonic()
        if done is None or serving is None:
            time.sleep(POLL)
    if done is None or serving is None:
        raise RuntimeError(f"deployment {dep_id} did not finish and serve within 300 s")
    total = max(done, serving) - uploaded
    runtime_ms = sum(s.get("durationMs") or 0 for s in stages if s["name"] in ("dependencies", "build"))
    return total, total - runtime_ms / 1000.0, {s["name"]: s.get("durationMs") for s in stages}


def floor_once(app_dir, port):
    """Cold start floor: `node index.js` until it answers on its port."""
    began = time.monotonic()
    proc = subprocess.Popen(["node", "index.js"], cwd=app_dir, env={**os.environ, "PORT": str(port)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() - began < 30:
            code, _ = get(f"http://127.0.0.1:{port}/")
            if code == 200:
                return time.monotonic() - began
            time.sleep(POLL)
        raise RuntimeError("node did not answer within 30 s")
    finally:
        proc.terminate()
        proc.wait()


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))]


def main():
    a = parse_args()
    with open(a.token_file, encoding="utf-8") as f:
        api = Api(a.api, f.read().strip())
    floors = [floor_once(os.path.join(a.examples, "node"), a.floor_port) for _ in range(a.runs)]
    floor = statistics.median(floors)
    print(f"cold-start floor (node index.js until it answers): median {floor * 1000:.0f} ms, p90 {pct(floors, 90) * 1000:.0f} ms")
    print(f"{'example':8} {'runs':>4} {'total med':>10} {'total p90':>10} {'overhead med':>13} {'overhead p90':>13} {'total/floor':>12}")
    for runtime in ("static", "node"):
        app = "bench-" + runtime
        api.call("POST", "/v1/apps", json.dumps({"name": app, "runtime": runtime}).encode())
        totals, overheads = [], []
        # One warm-up deploy (first deploy of the app: creates its dirs and uid), not counted.
        for i in range(a.runs + 1):
            marker = f"v{i}-{time.monotonic_ns()}"
            directory = os.path.join(a.work, "src-" + runtime)
            path = versioned(os.path.join(a.examples, runtime), directory, runtime, marker)
            total, overhead, stages = deploy_once(api, a.router, app, directory, path, marker)
            if i > 0:
                totals.append(total)
                overheads.append(overhead)
        print(f"{runtime:8} {a.runs:>4} {statistics.median(totals) * 1000:>8.0f}ms {pct(totals, 90) * 1000:>8.0f}ms "
              f"{statistics.median(overheads) * 1000:>11.0f}ms {pct(overheads, 90) * 1000:>11.0f}ms "
              f"{statistics.median(totals) / floor:>11.1f}x")
        print(f"         last deploy's stages (ms): {json.dumps(stages)}")


if __name__ == "__main__":
    main()
