"""Creates and deploys apps through a running nuage server and reports RSS; see run.sh. Standard library only."""
import argparse
import io
import json
import os
import tarfile
import time
import urllib.request


def parse_args():
    p = argparse.ArgumentParser()
    for name in ("--api", "--router", "--token-file", "--example", "--data"):
        p.add_argument(name, required=True)
    p.add_argument("--server-pid", type=int, required=True)
    p.add_argument("--apps", type=int, default=100)
    p.add_argument("--settle", type=float, default=5)
    p.add_argument("--cpu-window", type=float, default=10)
    return p.parse_args()


def call(args, token, method, path, body=None, content_type="application/json"):
    req = urllib.request.Request(args.api + path, data=body, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=120) as res:
        return json.loads(res.read() or b"null")


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def cpu_ticks(pid):
    """User + system clock ticks the process has used so far (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (FileNotFoundError, ProcessLookupError):
        return 0


def idle_cpu_ms_per_s(pid, window):
    """CPU the process uses per second of wall time while nothing is asked of it."""
    before = cpu_ticks(pid)
    time.sleep(window)
    return (cpu_ticks(pid) - before) * 1000 / os.sysconf("SC_CLK_TCK") / window


def processes_of(data, server_pid):
    """The server and every process whose command line names the data directory (instances, their wrappers), not this one."""
    pids = {server_pid}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if data.encode() in f.read():
                        pids.add(int(entry))
            except OSError:
                pass
    pids.discard(os.getpid())  # this script names the data directory in its own arguments
    return pids


def report(label, args):
    time.sleep(args.settle)
    pids = processes_of(args.data, args.server_pid)
    server = rss_kib(args.server_pid)
    total = sum(rss_kib(p) for p in pids)
    cpu = idle_cpu_ms_per_s(args.server_pid, args.cpu_window)
    print(f"{label:<28} server {server / 1024:7.1f} MiB   all {len(pids):4d} processes {total / 1024:8.1f} MiB   "
          f"server idle CPU {cpu:5.1f} ms/s", flush=True)
    return server, total


def tar_of(directory):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name in sorted(os.listdir(directory)):
            tar.add(os.path.join(directory, name), arcname=name)
    return buf.getvalue()


def main():
    args = parse_args()
    with open(args.token_file, encoding="ascii") as f:
        token = f.read().strip()
    zero_server, zero_total = report("0 apps", args)
    names = [f"site{i:03d}" for i in range(args.apps)]
    for name in names:
        call(args, token, "POST", "/v1/apps", json.dumps({"name": name, "runtime": "static"}).encode())
    idle_server, _ = report(f"{args.apps} idle apps", args)
    body = tar_of(args.example)
    started = time.monotonic()
    for name in names:
        dep = call(args, token, "POST", f"/v1/apps/{name}/deployments?message=bench", body, "application/octet-stream")
        while dep["state"] not in ("succeeded", "failed", "cancelled"):
            time.sleep(0.05)
            dep = call(args, token, "GET", f"/v1/apps/{name}/deployments/{dep['id']}")
        if dep["state"] != "succeeded":
            raise SystemExit(f"{name}: deployment {dep['state']}: {dep.get('failureReason')}")
    deployed = time.monotonic() - started
    _, sites_total = report(f"{args.apps} static sites", args)
    print(f"per idle app:        {(idle_server - zero_server) / 1024 / args.apps:7.3f} MiB (server RSS delta / apps)")
    print(f"{args.apps} sites add:      {(sites_total - zero_total) / 1024:7.1f} MiB in total over the 0-app baseline "
          f"({args.apps} sites; deploys took {deployed:.0f} s)")


if __name__ == "__main__":
    main()
