"""Run cells in a real IPython kernel and print what the notebook would have shown, as JSON.

Test helper for test/kernel/*.test.ts. Usage:

    python runInKernel.py --cwd DIR [--pythonpath DIR ...] [--timeout SECONDS] < cells.json

stdin: a JSON array of cell sources. One python3 kernel (ipykernel, same interpreter as this
script) is started with its working directory set to --cwd, the cells are executed in order
(like "Run All", but every cell runs even if an earlier one failed), and stdout receives one JSON
array with, per cell:

    {"status": "ok" | "error" | "timeout", "outputs": [...]}

where each output is the content of an IOPub message of type stream (name, text), display_data /
execute_result (data, metadata) or error (ename, evalue, traceback), with "output_type" set to the
message type, in the order the kernel sent them. Message types and fields follow the Jupyter
messaging spec (https://jupyter-client.readthedocs.io/en/stable/messaging.html).

With --serve the kernel instead answers execute_requests one at a time, for as long as stdin stays
open: each stdin line is the content of one execute_request (code, silent, store_history,
user_expressions, stop_on_error), and each stdout line is

    {"reply": <execute_reply content>, "outputs": [...]}

with the outputs that request produced on IOPub, as above. This lets a test stand a real kernel in
for JupyterLab's kernel connection.
"""

import argparse
import json
import os
import queue
import sys
import time

from jupyter_client.manager import KernelManager

OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error")


def run_cell(client, code, timeout):
    """Execute one cell; collect its IOPub outputs until the kernel goes idle for this request."""
    msg_id = client.execute(code, store_history=True, allow_stdin=False)
    outputs = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return {"status": "timeout", "outputs": outputs}
        try:
            msg = client.get_iopub_msg(timeout=remaining)
        except queue.Empty:
            continue
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if kind in OUTPUT_TYPES:
            outputs.append(dict(msg["content"], output_type=kind))
        elif kind == "status" and msg["content"].get("execution_state") == "idle":
            break
    reply = client.get_shell_msg(timeout=max(1.0, deadline - time.monotonic()))
    return {"status": reply["content"].get("status", "error"), "outputs": outputs}


def serve(client, timeout):
    """Answer one execute_request per stdin line with its reply and IOPub outputs (see --serve)."""
    for line in sys.stdin:
        if not line.strip():
            continue
        content = json.loads(line)
        msg_id = client.execute(
            content.get("code", ""),
            silent=content.get("silent", False),
            store_history=content.get("store_history", True),
            user_expressions=content.get("user_expressions", {}),
            allow_stdin=False,
            stop_on_error=content.get("stop_on_error", True),
        )
        deadline = time.monotonic() + timeout
        reply = None
        while reply is None:
            msg = client.get_shell_msg(timeout=max(1.0, deadline - time.monotonic()))
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                reply = msg["content"]
        outputs = []
        while True:
            msg = client.get_iopub_msg(timeout=max(1.0, deadline - time.monotonic()))
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind in OUTPUT_TYPES:
                outputs.append(dict(msg["content"], output_type=kind))
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                break
        sys.stdout.write(json.dumps({"reply": reply, "outputs": outputs}) + "\n")
        sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cwd", required=True, help="working directory of the kernel")
    parser.add_argument("--pythonpath", action="append", default=[], help="prepend to the kernel's PYTHONPATH")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per cell")
    parser.add_argument("--serve", action="store_true", help="answer execute_requests, one JSON line each")
    args = parser.parse_args()
    cells = None if args.serve else json.load(sys.stdin)

    env = dict(os.environ)
    if args.pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(args.pythonpath + [p for p in [env.get("PYTHONPATH")] if p])
    # "python3" is ipykernel's native spec: jupyter_client runs it with this interpreter.
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(cwd=args.cwd, env=env)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        if args.serve:
            serve(client, args.timeout)
            return
        results = [run_cell(client, code, args.timeout) for code in cells]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
