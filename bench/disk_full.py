#!/usr/bin/env python3
"""Disk-full drill (issue 18): the disk under the SQLite store fills while the broker runs.

Each run mounts a small file system (tmpfs with size=, or a loop-mounted ext4 image, which mkfs
makes with 1 KiB blocks at this size), starts the broker (its own JVM) with its SQLite store there,
and drives token issues and secret creates from several clients. At a random moment a filler file
takes the free space, leaving 0 to 64 KiB; the clients keep driving, and every answer while the
disk is full must be a fast problem+json 503. Then the filler is deleted and the first 2xx write
must come within a second. Finally the broker is stopped and started again on the same store:
every acknowledged (2xx) write must be there, and the audit chain must export and verify.

Scenarios, chosen in turn:
  load     the disk fills under load
  idle     the disk fills while the broker is idle, then the load resumes
  restart  the broker is stopped (SIGKILL and SIGTERM in turn) while the disk is full and started
           again on the still-full disk; the load resumes against the new process
  crash    the broker is killed (SIGKILL) under load, the disk fills while it is down, and it is
           started again on the full disk, where it replays its WAL
  lifetime the pool retires every connection (maxLifetime 30 s, the least HikariCP allows) while
           the disk is full and idle, so that new connections open against a full disk

A process death is a broker that exits without being asked to, exits with a signal (135 is
SIGBUS), or leaves an hs_err file. Needs root (mount). Prints one line per run and a summary.
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# DISK_FULL_LAUNCHER runs another build, such as a copy of the launcher and jar of an earlier commit.
LAUNCHER = os.environ.get("DISK_FULL_LAUNCHER", os.path.join(ROOT, "secretsapi"))
POLICY = "rules:\n  - id: root-all\n    effect: allow\n    principals: [root]\n    operations: ['*']\n"
SCENARIOS = ["load", "idle", "restart", "crash", "lifetime"]


def log(*a):
    print(*a, flush=True)


class Broker:
    """One broker process on the store in mnt, logging to work."""

    def __init__(self, work, mnt, port, tag, lifetime):
        self.work, self.port, self.tag = work, port, tag
        self.cfg = os.path.join(work, "secretsapi.yaml")
        with open(self.cfg, "w") as f:
            f.write(
                f"listen: 127.0.0.1:{port}\nstore:\n  url: sqlite:{mnt}/broker.db\n"
                f"kek:\n  file: {work}/kek.json\n"
            )
        opts = f"-Xmx256m -XX:ErrorFile={work}/hs_err_pid%p.log"
        if lifetime:
            hikari = os.path.join(work, "hikari.properties")
            with open(hikari, "w") as f:
                f.write("maxLifetime=30000\n")
            opts += f" -Dhikaricp.configurationFile={hikari}"
        # DISK_FULL_ACCESS_LOG=INFO keeps the broker's access log (one line per request, with its
        # duration) in err-*.txt, to find a slow answer.
        access = os.environ.get("DISK_FULL_ACCESS_LOG", "OFF")
        env = dict(os.environ, SECRETSAPI_JAVA_OPTS=opts, SECRETSAPI_ACCESS_LOG_LEVEL=access)
        self.out = os.path.join(work, f"out-{tag}.txt")
        self.err = os.path.join(work, f"err-{tag}.txt")
        self.proc = subprocess.Popen(
            [LAUNCHER, "server", "--config", self.cfg],
            cwd=work,
            env=env,
            stdout=open(self.out, "w"),
            stderr=open(self.err, "w"),
            start_new_session=True,
        )
        self.sent = None
        self.started = time.monotonic()

    def wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/health/live")
                if c.getresponse().status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def root_key(self):
        m = re.search(r"sk_[A-Za-z0-9_-]+", open(self.out).read())
        return m.group(0) if m else None

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.sent = sig
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


def request(conn_holder, port, key, method, path, body=None, ctype="application/json"):
    """One request on a kept connection; answers (status, headers, body, seconds)."""
    headers = {"Authorization": "Bearer " + key}
    if body is not None:
        headers["Content-Type"] = ctype
    t0 = time.monotonic()
    for attempt in range(2):
        c = conn_holder.get("c")
        if c is None:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn_holder["c"] = c
        try:
            c.request(method, path, body=body, headers=headers)
            r = c.getresponse()
            data = r.read()
            return r.status, r.getheader("Content-Type", ""), data, time.monotonic() - t0
        except (OSError, http.client.HTTPException):
            c.close()
            conn_holder["c"] = None
            if attempt == 1:
                raise
    raise AssertionError("unreachable")


class Load:
    """Clients issuing tokens and creating secrets until stopped; records every answer."""

    def __init__(self, port, key, secret_id, run, clients, state):
        self.port, self.key, self.secret_id, self.run = port, key, secret_id, run
        self.clients, self.state = clients, state
        self.stop_flag = threading.Event()
        self.threads = []

    def start(self):
        self.stop_flag.clear()
        self.threads = [
            threading.Thread(target=self.client, args=(i,), daemon=True)
            for i in range(self.clients)
        ]
        for t in self.threads:
            t.start()

    def stop(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join(60)

    def client(self, i):
        s = self.state
        holder = {}
        n = 0
        issue = json.dumps(
            {
                "secret_id": self.secret_id,
                "scope": "model-access",
                "ttl": "5m",
                "environment": "production",
            }
        )
        while not self.stop_flag.is_set():
            n += 1
            kind = "secret" if n % 2 else "issue"
            if kind == "issue":
                path, body = "/tokens/issue", issue
            else:
                name = f"df-{self.run}-{s['epoch']}-{i}-{n}"
                path = "/secrets"
                body = json.dumps(
                    {
                        "name": name,
                        "provider": "openai",
                        "resource_class": "model-access",
                        "environment": "production",
                        "owner": "bench",
                        "value": "sk-" + os.urandom(48).hex(),
                    }
                )
            s["inflight"][i] = time.monotonic()
            try:
                status, ctype, data, secs = request(holder, self.port, self.key, "POST", path, body)
            except (OSError, http.client.HTTPException) as e:
                s["inflight"].pop(i, None)
                with s["lock"]:
                    s["errors"].append(f"{kind}: {e!r}")
                time.sleep(0.05)
                continue
            s["inflight"].pop(i, None)
            now = time.monotonic()
            with s["lock"]:
                s["statuses"][status] = s["statuses"].get(status, 0) + 1
                if 200 <= status < 300:
                    doc = json.loads(data)
                    if kind == "issue":
                        s["tokens"][doc["token_id"]] = doc.get("token")
                    else:
                        s["secrets"].add(doc["id"])
                    if s["freed_at"] is not None and s["first_ok_after_free"] is None:
                        s["first_ok_after_free"] = now - s["freed_at"]
                elif status == 503:
                    s["n503"] += 1
                    s["lat503"].append(secs)
                    if secs > s["slowest503"][0]:
                        s["slowest503"] = (secs, kind, data[:300].decode(errors="replace"))
                    ok = "application/problem+json" in ctype
                    try:
                        ok = ok and json.loads(data).get("status") == 503
                    except ValueError:
                        ok = False
                    if not ok:
                        s["bad503"] += 1
                else:
                    s["other"].append((status, data[:200].decode(errors="replace")))


def new_state():
    return {
        "lock": threading.Lock(),
        "statuses": {},
        "tokens": {},
        "secrets": set(),
        "n503": 0,
        "bad503": 0,
        "lat503": [],
        "slowest503": (0.0, None, None),
        "inflight": {},
        "other": [],
        "errors": [],
        "freed_at": None,
        "first_ok_after_free": None,
        "epoch": 0,
    }


def set_up(port, key):
    h = {}
    st, _, data, _ = request(
        h,
        port,
        key,
        "POST",
        "/secrets",
        json.dumps(
            {
                "name": "disk-full",
                "provider": "openai",
                "resource_class": "model-access",
                "environment": "production",
                "value": "sk-diskfull-0123456789abcdef",
            }
        ),
    )
    assert st == 201, (st, data)
    sid = json.loads(data)["id"]
    st, _, data, _ = request(
        h,
        port,
        key,
        "POST",
        f"/secrets/{sid}/scope",
        json.dumps({"name": "model-access", "operations": ["reveal"], "max_ttl": "15m"}),
    )
    assert st == 201, (st, data)
    st, _, data, _ = request(h, port, key, "PUT", "/policies/KEY-SCOPE-17", POLICY, "application/yaml")
    assert st == 200, (st, data)
    return sid


def mount(fs, mnt, img, size):
    os.makedirs(mnt, exist_ok=True)
    if fs == "tmpfs":
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", mnt], check=True)
    else:
        subprocess.run(["truncate", "-s", size, img], check=True)
        subprocess.run(["mkfs.ext4", "-q", "-F", img], check=True)
        subprocess.run(["mount", "-o", "loop", img, mnt], check=True)


def umount(mnt, img):
    for _ in range(20):
        if subprocess.run(["umount", mnt], capture_output=True).returncode == 0:
            break
        time.sleep(0.5)
    if os.path.exists(img):
        os.unlink(img)


def fill(mnt, leave):
    """Takes the free space on mnt but about leave bytes; answers the filler's path."""
    path = os.path.join(mnt, "filler")
    st = os.statvfs(mnt)
    free = st.f_bfree * st.f_frsize
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        want = max(0, free - leave - 64 * 1024)
        if want:
            try:
                os.posix_fallocate(fd, 0, want)
            except OSError:
                pass
        chunk = 4096
        while os.fstat(fd).st_size < free - leave or leave == 0:
            try:
                os.lseek(fd, 0, os.SEEK_END)
                os.write(fd, b"\0" * chunk)
            except OSError:
                if chunk == 1:
                    break
                chunk //= 4
        try:
            os.fsync(fd)
        except OSError:
            pass
    finally:
        os.close(fd)
    return path


def wait_for_503s(state, at_least, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with state["lock"]:
            if state["n503"] >= at_least:
                return True
        time.sleep(0.05)
    return False


def watch_stalls(state, brokers, work, stop):
    """Takes one thread dump of the broker when a request has been waiting over 3 s."""
    while not stop.wait(0.2):
        started = list(state["inflight"].values())
        if started and time.monotonic() - min(started) > 3.0 and brokers:
            pid = brokers[-1].proc.pid
            jcmd = os.path.join(os.path.dirname(os.path.realpath(f"/proc/{pid}/exe")), "jcmd")
            # Thread.print shows only the virtual threads mounted now; the JSON dump has them all.
            dump = os.path.join(work, f"threads-{pid}.json")
            with open(os.path.join(work, f"threads-{pid}.txt"), "w") as f:
                subprocess.run([jcmd, str(pid), "Thread.print", "-l"], stdout=f, stderr=f)
                subprocess.run([jcmd, str(pid), "Thread.dump_to_file", "-format=json", dump], stdout=f, stderr=f)
            return


def hs_errs(work):
    return [f for f in os.listdir(work) if f.startswith("hs_err")]


def check_store(port, key, state, work, tag):
    """Answers a list of problems: acknowledged writes missing, a chain that does not verify."""
    problems = []
    h = {}
    for sid in sorted(state["secrets"]):
        st, _, _, _ = request(h, port, key, "GET", f"/secrets/{sid}")
        if st != 200:
            problems.append(f"secret {sid} answered {st}")
    st, _, data, _ = request(h, port, key, "GET", "/audit/export")
    if st != 200:
        return problems + [f"export answered {st}"]
    issued = set()
    for line in data.decode().splitlines():
        rec = json.loads(line)
        if rec.get("type") == "token.issue":
            issued.add(rec.get("token_id"))
    lost = set(state["tokens"]) - issued
    problems += [f"token {t} has no token.issue record" for t in sorted(lost)[:5]]
    if lost:
        problems.append(f"{len(lost)} acknowledged grants lost")
    env = dict(os.environ, SECRETSAPI_ADDR=f"http://127.0.0.1:{port}", SECRETSAPI_TOKEN=key)
    export = os.path.join(work, f"audit-{tag}.jsonl")
    jwks = os.path.join(work, "jwks.json")
    st, _, data, _ = request(h, port, key, "GET", "/audit/jwks.json")
    open(jwks, "wb").write(data)
    r = subprocess.run([LAUNCHER, "audit", "export", "-f", export], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        return problems + ["audit export failed: " + (r.stderr or r.stdout)[-300:]]
    r = subprocess.run(
        [LAUNCHER, "audit", "verify", export, "--receipt", export + ".receipt.json", "--public-key", jwks],
        env=env,
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        problems.append("audit verify failed: " + (r.stdout + r.stderr)[-300:])
    return problems


def one_run(n, fs, scenario, args, rng, base):
    work = tempfile.mkdtemp(prefix=f"run{n:03d}-", dir=base)
    mnt = os.path.join(work, "mnt")
    img = os.path.join(work, "disk.img")
    mount(fs, mnt, img, args.size)
    with socket.socket() as probe:  # a free port, not a random one: drills may run side by side
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    lifetime = scenario == "lifetime"
    result = {"run": n, "fs": fs, "scenario": scenario, "deaths": 0, "problems": []}
    brokers = []
    state = new_state()
    filler = None
    watch_stop = threading.Event()

    def start(tag):
        b = Broker(work, mnt, port, tag, lifetime)
        brokers.append(b)
        return b

    def died(b):
        code = b.proc.poll()
        if code is None:
            return False
        if b.sent == signal.SIGKILL:
            return code != -signal.SIGKILL
        return b.sent is None or code not in (0, 143)

    try:
        b = start("a")
        if not b.wait_ready():
            result["problems"].append(f"first start failed: exit {b.proc.poll()}")
            return result
        key = b.root_key()
        sid = set_up(port, key)
        threading.Thread(
            target=watch_stalls, args=(state, brokers, work, watch_stop), daemon=True
        ).start()
        load = Load(port, key, sid, n, args.clients, state)
        load.start()
        time.sleep(rng.uniform(0.2, 1.5))
        leave = rng.choice([0, 0, 4096, 16384, 65536])
        if scenario in ("load", "restart"):
            filler = fill(mnt, leave)
        elif scenario == "idle":
            load.stop()
            time.sleep(rng.uniform(0.0, 2.0))
            filler = fill(mnt, leave)
            time.sleep(rng.uniform(0.0, 1.0))
            state["epoch"] += 1
            load.start()
        elif scenario == "lifetime":
            load.stop()
            # Fill, then sit idle over the moment the pool retires its first connections (30 s
            # after start, less up to 2.5 %), then drive load while the replacements open.
            until = b.started + rng.uniform(27.0, 31.0)
            filler = fill(mnt, leave)
            time.sleep(max(0.0, until - time.monotonic()))
            state["epoch"] += 1
            load.start()
        if scenario == "crash":
            # A crash leaves the WAL and its index; the disk fills before the broker is back, and
            # the new process replays the WAL on a full disk.
            load.stop()
            b.stop(signal.SIGKILL)
            filler = fill(mnt, leave)
            b = start("b")
            if not b.wait_ready():
                result["problems"].append(f"start on a full disk failed: exit {b.proc.poll()}")
                return result
            state["epoch"] += 1
            load.start()
        if not wait_for_503s(state, 20, 30):
            result["problems"].append("no 503s within 30 s of the disk filling")
        if scenario == "restart":
            load.stop()
            # kill -9 (a crash, the OOM killer) leaves the WAL for the next start to replay;
            # SIGTERM (systemd) checkpoints first, which a full disk may refuse.
            args.restarts += 1
            sig = signal.SIGKILL if args.restarts % 2 else signal.SIGTERM
            b.stop(sig)
            b = start("b")
            if not b.wait_ready():
                result["problems"].append(f"start on a full disk failed: exit {b.proc.poll()}")
                return result
            state["epoch"] += 1
            load.start()
            wait_for_503s(state, state["n503"] + 20, 30)
        time.sleep(rng.uniform(1.0, 3.0))  # keep driving a full disk
        os.unlink(filler)
        filler = None
        state["freed_at"] = time.monotonic()
        deadline = time.monotonic() + 10
        while state["first_ok_after_free"] is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(1.0)
        load.stop()
        if b.proc.poll() is None:
            code = b.stop()
            if code not in (0, 143):
                result["problems"].append(f"stop answered exit {code}")
        c = start("check")
        if not c.wait_ready():
            result["problems"].append(f"restart after the drill failed: exit {c.proc.poll()}")
        else:
            result["problems"] += check_store(port, key, state, work, "check")
            c.stop()
    finally:
        watch_stop.set()
        for x in brokers:
            if x.proc.poll() is None:
                x.stop(signal.SIGKILL)
        result["deaths"] = max(result["deaths"], sum(1 for x in brokers if died(x)))
        if filler and os.path.exists(filler):
            os.unlink(filler)
        errs = hs_errs(work)
        if errs:
            result["deaths"] = max(result["deaths"], 1)
            result["hs_err"] = [os.path.join(work, e) for e in errs]
        result["exit_codes"] = [x.proc.returncode for x in brokers]
        with state["lock"]:
            result["acked_tokens"] = len(state["tokens"])
            result["acked_secrets"] = len(state["secrets"])
            result["n503"] = state["n503"]
            result["bad503"] = state["bad503"]
            result["max503"] = max(state["lat503"], default=0.0)
            result["slowest503"] = state["slowest503"]
            result["first_ok"] = state["first_ok_after_free"]
            result["other"] = state["other"][:3]
            result["n_other"] = len(state["other"])
            result["statuses"] = state["statuses"]
        umount(mnt, img)
        result["work"] = work
        slow = result["first_ok"] is None or result["first_ok"] > 1.0 or result["max503"] > 2.0
        if not args.keep and not result["deaths"] and not result["problems"] and not slow:
            subprocess.run(["rm", "-rf", work])
    return result


def main():
    p = argparse.ArgumentParser(description="disk-full drill (issue 18)")
    p.add_argument("runs", nargs="?", type=int, default=50)
    p.add_argument("--fs", choices=["ext4", "tmpfs", "both"], default="both")
    p.add_argument("--size", default="8m", help="size of the small file system")
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--scenario", choices=SCENARIOS, action="append", help="only these scenarios")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--keep", action="store_true", help="keep every run's folder, not only failed ones")
    args = p.parse_args()
    if os.geteuid() != 0:
        sys.exit("disk-full: needs root, to mount the small file systems")
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    base = tempfile.mkdtemp(prefix="disk-full-")
    fss = ["ext4", "tmpfs"] if args.fs == "both" else [args.fs]
    args.restarts = 0
    scenarios = args.scenario or SCENARIOS
    log(f"# disk-full: {args.runs} runs, fs {args.fs}, size {args.size}, seed {seed}, folder {base}")
    results = []
    for n in range(args.runs):
        fs = fss[n % len(fss)]
        scenario = scenarios[(n // len(fss)) % len(scenarios)]
        r = one_run(n, fs, scenario, args, rng, base)
        results.append(r)
        first = "-" if r["first_ok"] is None else f"{r['first_ok'] * 1000:.0f}ms"
        log(
            f"run {n:3d} {fs:5s} {scenario:8s} deaths={r['deaths']} 503s={r['n503']}"
            f" (bad {r['bad503']}, max {r['max503'] * 1000:.0f}ms) other={r['n_other']}"
            f" acked={r['acked_tokens']}+{r['acked_secrets']} first2xx={first}"
            f" exits={r['exit_codes']}"
            + (f" PROBLEMS={r['problems']}" if r["problems"] else "")
            + (f" other={r['other']}" if r["other"] else "")
            + (f" HS_ERR={r['hs_err']}" if r.get("hs_err") else "")
            + (f" slowest503={r['slowest503']}" if r["max503"] > 2.0 else "")
        )
    firsts = [r["first_ok"] for r in results if r["first_ok"] is not None]
    deaths = sum(r["deaths"] for r in results)
    problems = sum(1 for r in results if r["problems"])
    slow = sum(1 for r in results if r["first_ok"] is None or r["first_ok"] > 1.0)
    log(
        f"# runs {len(results)}, process deaths {deaths}, runs with problems {problems},"
        f" acknowledged writes {sum(r['acked_tokens'] + r['acked_secrets'] for r in results)},"
        f" 503s {sum(r['n503'] for r in results)} (not problem+json:"
        f" {sum(r['bad503'] for r in results)}, slowest {max((r['max503'] for r in results), default=0) * 1000:.0f} ms),"
        f" other statuses {sum(r['n_other'] for r in results)}"
    )
    if firsts:
        log(
            f"# first 2xx after space returned: median {statistics.median(firsts) * 1000:.0f} ms,"
            f" max {max(firsts) * 1000:.0f} ms; runs over 1 s or never: {slow}"
        )
    sys.exit(1 if deaths or problems or slow else 0)


if __name__ == "__main__":
    main()
