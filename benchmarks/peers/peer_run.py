#!/usr/bin/env python3
"""Run one peer benchmark client, measure its CPU, normalise its result.

    peer_run.py {vllm|aiperf} --raw RAW_JSON --out OUT_JSON --log LOG \
        [--timeout S] [--param KEY=VALUE ...] [--raw-copy DEST] -- CLIENT ARGV...

Runs CLIENT ARGV in its own session (process group), sends its stdout and
stderr to LOG, and takes user+sys CPU seconds of the whole client process
tree from resource.getrusage(RUSAGE_CHILDREN): the kernel adds a process's
times, and those of every descendant it waited for, to its parent when it is
reaped, so the workers AIPerf spawns and joins are included. This wrapper's
own CPU is not. The figure includes the client's start-up (Python imports,
tokenizer load, prompt synthesis), which for `vllm bench serve` is dominated
by `import torch`.

Then it reads the client's own result file RAW_JSON (vLLM's --save-result
JSON, or AIPerf's profile_export_aiperf.json) and writes OUT_JSON with:

    mean_ttft_ms, p99_ttft_ms, mean_tpot_ms, p99_tpot_ms,
    output_throughput (tok/s), completed, duration_s, cpu_s

plus a few extra keys: failed, cpu_user_s, cpu_sys_s, cpu_bench_s (CPU of
the process tree during the measured phase only, between the client's
"benchmark starts" and "benchmark done" console lines, read from /proc: no
imports, tokenizer load, prompt synthesis or warm-up), wall_s, client,
exit_code, params, raw, log. Standard library only.
"""

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time


def _stat(d, key, field):
    v = d.get(key)
    if isinstance(v, dict):
        return v.get(field)
    return None


def normalise_vllm(raw: dict) -> dict:
    return {
        "mean_ttft_ms": raw.get("mean_ttft_ms"),
        "p99_ttft_ms": raw.get("p99_ttft_ms"),
        "mean_tpot_ms": raw.get("mean_tpot_ms"),
        "p99_tpot_ms": raw.get("p99_tpot_ms"),
        "output_throughput": raw.get("output_throughput"),
        "completed": raw.get("completed"),
        "failed": raw.get("failed"),
        "duration_s": raw.get("duration"),
    }


def normalise_aiperf(raw: dict) -> dict:
    # AIPerf's "inter_token_latency" is per request
    # (request_latency - ttft) / (output_tokens - 1), i.e. vLLM's TPOT;
    # its avg/p99 are over requests, as vLLM's mean/p99 TPOT are.
    completed = _stat(raw, "request_count", "avg")
    errors = _stat(raw, "error_request_count", "avg") or 0
    return {
        "mean_ttft_ms": _stat(raw, "time_to_first_token", "avg"),
        "p99_ttft_ms": _stat(raw, "time_to_first_token", "p99"),
        "mean_tpot_ms": _stat(raw, "inter_token_latency", "avg"),
        "p99_tpot_ms": _stat(raw, "inter_token_latency", "p99"),
        "output_throughput": _stat(raw, "output_token_throughput", "avg"),
        "completed": int(completed) if completed is not None else None,
        "failed": int(errors),
        "duration_s": _stat(raw, "benchmark_duration", "avg"),
    }


def normalise_sweepline(raw) -> dict:
    # `sweepline bench --output` writes a list of points with vLLM's field names; the client's
    # own CPU over the point (warm-ups included) is under `sweepline`.
    point = raw[0] if isinstance(raw, list) else raw
    result = normalise_vllm(point)
    result["cpu_point_s"] = (point.get("sweepline") or {}).get("client_cpu_s")
    return result


NORMALISERS = {"vllm": normalise_vllm, "aiperf": normalise_aiperf, "sweepline": normalise_sweepline}

# Console lines that open and close each client's measured phase (after its
# warm-up). CPU between them is reported as cpu_bench_s.
MARKERS = {
    "vllm": (b"Starting main benchmark run", b"Serving Benchmark Result"),
    "aiperf": (b"Phase profiling (profiling) started",
               b"Phase profiling (profiling) complete"),
    # Sweepline prints no start line: its whole run (prompt calibration and warm-ups included)
    # is what cpu_s counts, which only ever counts against it.
    "sweepline": (b"\0never\0", b"\0never\0"),
}

CLK_TCK = os.sysconf("SC_CLK_TCK")


def session_cpu_s(sid: int) -> float:
    """CPU so far of every process in session SID: user+sys of the live ones
    plus, through their cutime/cstime, every descendant they have reaped."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()
        # fields[0] is field 3 (state): session is field 6, utime..cstime 14-17
        if int(fields[3]) != sid:
            continue
        total += sum(int(x) for x in fields[11:15])
    return total / CLK_TCK


def main() -> int:
    argv = sys.argv[1:]
    if "--" not in argv:
        print(__doc__, file=sys.stderr)
        return 2
    cut = argv.index("--")
    p = argparse.ArgumentParser()
    p.add_argument("client", choices=sorted(NORMALISERS))
    p.add_argument("--raw", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--timeout", type=float, default=1800.0)
    p.add_argument("--param", action="append", default=[])
    p.add_argument("--raw-copy", help="also copy RAW_JSON here and report it")
    a = p.parse_args(argv[:cut])
    cmd = argv[cut + 1 :]

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    start_marker, end_marker = MARKERS[a.client]
    marks: dict[str, float] = {}
    with open(a.log, "wb") as log, open(a.log, "rb") as tail:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            seen = b""
            rc = None
            while rc is None:
                rc = proc.poll()
                if rc is None and time.monotonic() - t0 > a.timeout:
                    raise subprocess.TimeoutExpired(cmd, a.timeout)
                chunk = tail.read()
                if chunk and len(marks) < 2:
                    seen = (seen + chunk)[-65536:]
                    for name, marker in (("start", start_marker), ("end", end_marker)):
                        if name not in marks and marker in seen:
                            marks[name] = session_cpu_s(proc.pid)
                if rc is None:
                    time.sleep(0.05)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            rc = 124
        except KeyboardInterrupt:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            raise
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = after.ru_utime - before.ru_utime
    sys_ = after.ru_stime - before.ru_stime

    # Stragglers in the client's process group (a worker nobody reaped) would
    # escape the rusage figure; end them and say so.
    stragglers = False
    try:
        os.killpg(proc.pid, 0)
        stragglers = True
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass

    result = {k: None for k in ("mean_ttft_ms", "p99_ttft_ms", "mean_tpot_ms",
                                "p99_tpot_ms", "output_throughput",
                                "completed", "failed", "duration_s")}
    raw_ok = False
    if os.path.exists(a.raw):
        try:
            with open(a.raw) as f:
                result.update(NORMALISERS[a.client](json.load(f)))
            raw_ok = True
        except (ValueError, OSError) as e:
            print(f"peer_run: cannot read {a.raw}: {e}", file=sys.stderr)
    raw_path = a.raw
    if raw_ok and a.raw_copy:
        shutil.copyfile(a.raw, a.raw_copy)
        raw_path = a.raw_copy
    params = dict(kv.split("=", 1) for kv in a.param)
    result.update({
        "cpu_s": round(user + sys_, 3),
        "cpu_user_s": round(user, 3),
        "cpu_sys_s": round(sys_, 3),
        "cpu_bench_s": (round(marks["end"] - marks["start"], 3)
                        if len(marks) == 2 else result.pop("cpu_point_s", None)),
        "wall_s": round(wall, 3),
        "client": a.client,
        "exit_code": rc,
        "stragglers_killed": stragglers,
        "params": params,
        "raw": os.path.abspath(raw_path),
        "log": os.path.abspath(a.log),
    })
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    if rc != 0 or not raw_ok:
        print(f"peer_run: {a.client} exited {rc}"
              f"{'' if raw_ok else ', no result file'}; log: {a.log}",
              file=sys.stderr)
        try:
            with open(a.log, "rb") as f:
                tail = f.read()[-3000:].decode("utf-8", "replace")
            print(tail, file=sys.stderr)
        except OSError:
            pass
        return rc or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
