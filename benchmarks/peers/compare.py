#!/usr/bin/env python3
"""Sweepline's client, vLLM's `bench serve` and AIPerf, side by side in one run, against the
same servers on this machine (issue: the benchmark kernel).

    benchmarks/peers/setup                 # once: the peers' virtual environment
    swift build -c release --product sweepline
    python3 benchmarks/peers/compare.py [--concurrency 4,64,256,1024] [--out DIR]

1. Accuracy. A `sweepline sim-engine` whose own record of every request is the ground truth
   (GET /sweepline/served: when each request arrived and when each of its tokens was
   released). Each client runs a closed-loop point at each concurrency; its mean and p99 TTFT
   and TPOT are compared with the server's own figures for the same requests (the last
   NUM_PROMPTS the server served in that client's window; warm-ups came first). The server runs
   slower than the simulated GPU (time scale 0.25) so that it is never the bottleneck on two
   cores, even at 1,024 streams.
2. Capacity. The same engine at time scale 1000: tokens arrive as fast as the server can
   write them; each client's output tokens/s at 256 and 1,024 streams is the most it takes in.
3. CPU seconds per 1,000 requests, from each client's process tree (getrusage of children).

Standard library only; prints a table and writes DIR/compare.json.
"""

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
BINARY = os.environ.get("SWEEPLINE_BINARY", os.path.join(REPO, ".build", "release", "sweepline"))
CLIENTS = ["sweepline", "vllm", "aiperf"]
MODEL = "Llama-3.3-70B-Instruct"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(time_scale, model, hardware, precision, tp):
    port = free_port()
    server = subprocess.Popen(
        [BINARY, "sim-engine", "--hardware", hardware, "--model", model, "--precision", precision, "--tp", str(tp),
         "--max-num-seqs", "1024", "--max-model-len", "4096", "--time-scale", str(time_scale),
         "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/health", timeout=1)
            return server, url
        except OSError:
            time.sleep(0.05)
    server.kill()
    sys.exit("compare.py: the sim-engine did not start")


def served(url, first):
    with urllib.request.urlopen(f"{url}/sweepline/served?from={first}", timeout=30) as response:
        return json.load(response)


def percentile(values, p):
    """numpy's default (linear between closest ranks), as every client computes it."""
    ordered = sorted(values)
    rank = p / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ground_truth(records):
    ttft = [r["releases_s"][0] * 1000 for r in records]
    tpot = [(r["releases_s"][-1] - r["releases_s"][0]) * 1000 / (r["output_tokens"] - 1)
            for r in records if r["output_tokens"] > 1]
    return {"mean_ttft_ms": statistics.mean(ttft), "p99_ttft_ms": percentile(ttft, 99),
            "mean_tpot_ms": statistics.mean(tpot), "p99_tpot_ms": percentile(tpot, 99)}


def run_client(client, url, isl, osl, concurrency, prompts, out):
    script = os.path.join(HERE, f"run-{client}")
    result = subprocess.run([script, url, MODEL, str(isl), str(osl), str(concurrency), str(prompts), out],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0 or not os.path.exists(out):
        return {"error": (result.stderr or "")[-400:]}
    with open(out) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrency", default="4,64,256,1024")
    parser.add_argument("--capacity-concurrency", default="256,1024")
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--isl", type=int, default=128)
    parser.add_argument("--osl", type=int, default=64)
    parser.add_argument("--out", default=os.path.join(REPO, ".build", "peers"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    clients = args.clients.split(",")
    report = {"machine": os.uname().nodename, "cpus": os.cpu_count(), "accuracy": [], "capacity": []}

    server, url = start_server(0.25, MODEL, "H200-SXM", "fp8", 8)
    try:
        for concurrency in [int(c) for c in args.concurrency.split(",")]:
            prompts = max(40, 2 * concurrency)
            for client in clients:
                first = len(served(url, 0))
                measured = run_client(client, url, args.isl, args.osl, concurrency, prompts,
                                      os.path.join(args.out, f"accuracy-{client}-c{concurrency}.json"))
                window = sorted(served(url, first), key=lambda r: r["id"])[-prompts:]
                row = {"client": client, "concurrency": concurrency, "prompts": prompts}
                if "error" in measured or not window:
                    row["error"] = measured.get("error", "the server served nothing")
                else:
                    truth = ground_truth(window)
                    row.update({"server": truth, "client_figures": {k: measured.get(k) for k in truth},
                                "error_ms": {k: measured[k] - truth[k] for k in truth if measured.get(k) is not None},
                                "cpu_s": measured.get("cpu_s"), "cpu_bench_s": measured.get("cpu_bench_s"),
                                "completed": measured.get("completed")})
                report["accuracy"].append(row)
                print(json.dumps(row), flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()

    server, url = start_server(1000, "gpt-oss-120b", "B200-HGX", "fp4", 1)
    try:
        for concurrency in [int(c) for c in args.capacity_concurrency.split(",")]:
            prompts = 2 * concurrency
            for client in clients:
                measured = run_client(client, url, 128, 256, concurrency, prompts,
                                      os.path.join(args.out, f"capacity-{client}-c{concurrency}.json"))
                row = {"client": client, "concurrency": concurrency, "prompts": prompts,
                       "output_tok_s": measured.get("output_throughput"), "cpu_s": measured.get("cpu_s"),
                       "cpu_bench_s": measured.get("cpu_bench_s"), "completed": measured.get("completed"),
                       "error": measured.get("error")}
                report["capacity"].append(row)
                print(json.dumps(row), flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()

    with open(os.path.join(args.out, "compare.json"), "w") as f:
        json.dump(report, f, indent=2)
    print_tables(report)


def print_tables(report):
    def fmt(value, digits=2):
        return "-" if value is None else f"{value:.{digits}f}"

    print("\nAccuracy: client figure minus the server's own (ms); ground-truth server at time scale 0.25")
    print(f"{'client':<10} {'C':>5} {'TTFT mean':>10} {'TTFT p99':>10} {'TPOT mean':>10} {'TPOT p99':>10}"
          f" {'CPU s/1k req':>13}")
    for row in report["accuracy"]:
        if "error" in row:
            print(f"{row['client']:<10} {row['concurrency']:>5} failed: {row['error'][-120:]}")
            continue
        e = row["error_ms"]
        cpu = row.get("cpu_bench_s") or row.get("cpu_s")
        per_k = cpu / row["completed"] * 1000 if cpu and row.get("completed") else None
        print(f"{row['client']:<10} {row['concurrency']:>5} {fmt(e.get('mean_ttft_ms')):>10}"
              f" {fmt(e.get('p99_ttft_ms')):>10} {fmt(e.get('mean_tpot_ms'), 3):>10} {fmt(e.get('p99_tpot_ms'), 3):>10}"
              f" {fmt(per_k):>13}")
    print("\nCapacity: output tokens/s each client takes in from a server at time scale 1000")
    print(f"{'client':<10} {'C':>5} {'output tok/s':>13} {'completed':>10}")
    for row in report["capacity"]:
        print(f"{row['client']:<10} {row['concurrency']:>5} {fmt(row['output_tok_s'], 0):>13}"
              f" {str(row['completed']):>10} {('failed: ' + row['error'][-100:]) if row.get('error') else ''}")


if __name__ == "__main__":
    main()
