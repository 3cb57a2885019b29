"""Nothing calls out to the network: ingest + ask in a process where only loopback works."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

GUARD = textwrap.dedent(
    """
    import json, socket, sys
    attempts = []
    def allowed(address):
        host = address[0] if isinstance(address, tuple) else str(address)
        return host in ("127.0.0.1", "::1", "localhost") or str(host).startswith("/")
    real_connect = socket.socket.connect
    def connect(self, address):
        if self.family == socket.AF_UNIX or allowed(address):
            return real_connect(self, address)
        attempts.append(repr(address))
        raise OSError("network blocked by test")
    socket.socket.connect = connect
    real_getaddrinfo = socket.getaddrinfo
    def getaddrinfo(host, *args, **kwargs):
        if host not in (None, "localhost", "127.0.0.1", "::1"):
            attempts.append(f"dns:{host}")
            raise socket.gaierror("dns blocked by test")
        return real_getaddrinfo(host, *args, **kwargs)
    socket.getaddrinfo = getaddrinfo

    import os
    from assistant import Assistant, Settings
    a = Assistant(Settings.load(home=sys.argv[1]))
    report = a.ingest()
    answer = a.ask("ما الذي سحبته روسيا من كوبا؟")
    keys = ["ANONYMIZED_TELEMETRY", "GRADIO_ANALYTICS_ENABLED",
            "HF_HUB_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"]
    env = {k: os.environ.get(k) for k in keys}
    print(json.dumps({"attempts": attempts, "answered": answer.answered,
                      "paragraphs": report.paragraphs, "env": env}))
    """
)


def test_ingest_and_ask_make_no_outside_connection(tmp_path: Path) -> None:
    script = tmp_path / "guarded.py"
    script.write_text(GUARD)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "ANONYMIZED_TELEMETRY": "True"}
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "home")],
        capture_output=True, text=True, env=env, timeout=300, check=True,
    )  # fmt: skip
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["attempts"] == []
    assert outcome["answered"] and outcome["paragraphs"] == 63
    assert outcome["env"] == {
        "ANONYMIZED_TELEMETRY": "False",  # forced off even when the user's environment set it
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
    }
