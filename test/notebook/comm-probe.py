"""Probe a kernel the way widget front-ends do (used by tslab-kernel.test.ts).

    python3 comm-probe.py KERNEL_NAME CWD STDERR_FILE

Starts KERNEL_NAME (from JUPYTER_PATH) with jupyter_client, sends comm_info_request, comm_open,
comm_msg and comm_close, then runs one cell, and prints one JSON object: the reply to each message
(msg_type, content), the iopub messages each caused, and the kernel's stderr.
"""
import json
import queue
import subprocess
import sys
import time

from jupyter_client import KernelManager

name, cwd, stderr_path = sys.argv[1], sys.argv[2], sys.argv[3]
result = {}
with open(stderr_path, "w") as err:
    km = KernelManager(kernel_name=name)
    km.start_kernel(cwd=cwd, stderr=err, stdout=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=90)

        def iopub_for(msg_id, timeout=15):
            """iopub messages whose parent is msg_id, until its idle status."""
            seen = []
            end = time.time() + timeout
            while time.time() < end:
                try:
                    m = kc.get_iopub_msg(timeout=0.5)
                except queue.Empty:
                    continue
                if m["parent_header"].get("msg_id") != msg_id:
                    continue
                seen.append({"msg_type": m["msg_type"], "content": m["content"]})
                if m["msg_type"] == "status" and m["content"].get("execution_state") == "idle":
                    break
            return seen

        def shell_reply(msg_id, timeout=5):
            end = time.time() + timeout
            while time.time() < end:
                try:
                    m = kc.get_shell_msg(timeout=0.5)
                except queue.Empty:
                    continue
                if m["parent_header"].get("msg_id") == msg_id:
                    return {"msg_type": m["msg_type"], "content": m["content"]}
            return None

        def send(msg_type, content, expect_reply):
            msg = kc.session.msg(msg_type, content)
            kc.shell_channel.send(msg)
            iopub = iopub_for(msg["header"]["msg_id"])
            reply = shell_reply(msg["header"]["msg_id"]) if expect_reply else None
            result[msg_type] = {"reply": reply, "iopub": iopub}

        send("comm_info_request", {"target_name": "jupyter.widget"}, True)
        send("comm_open", {"comm_id": "otf-probe-1", "target_name": "jupyter.widget", "data": {}}, False)
        send("comm_msg", {"comm_id": "otf-probe-1", "data": {"method": "update"}}, False)
        send("comm_close", {"comm_id": "otf-probe-1", "data": {}}, False)
        msg_id = kc.execute("const answer: number = 6 * 7; answer")
        iopub = iopub_for(msg_id, timeout=60)
        result["execute"] = {"reply": shell_reply(msg_id, timeout=30), "iopub": iopub}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        del kc  # before interpreter shutdown, whose teardown makes its __del__ log a TypeError
with open(stderr_path) as err:
    result["stderr"] = err.read()
print(json.dumps(result))
