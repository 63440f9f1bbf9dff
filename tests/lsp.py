"""A minimal Language Server Protocol client over stdio, for the real yaml-language-server.

A plain helper module (not a test file), like gates.py. The server is the npm package pinned
in package-lock.json (`npm ci` installs it); it is given the settings an editor would read
from .vscode/settings.json, with the schema store off: it fetches nothing. Every wait has
a deadline.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO, Optional

from gates import INSTALL_HINT, NODE_MODULES, GateError

SERVER = NODE_MODULES / "yaml-language-server" / "bin" / "yaml-language-server"
TIMEOUT_S = 60.0


class YamlLanguageServer:
    """One yaml-language-server process; `diagnostics(path, text)` is what an editor shows."""

    def __init__(self, root: Path, yaml_settings: dict[str, Any]) -> None:
        node = shutil.which("node")
        if node is None or not SERVER.is_file():
            raise GateError(f"yaml-language-server is missing ({SERVER}): {INSTALL_HINT}")
        # Any request to the network would go to a closed port and fail, visibly.
        self.settings = {"yaml": yaml_settings, "http": {"proxy": "http://127.0.0.1:9", "proxyStrictSSL": True}}
        self.proc = subprocess.Popen(
            [node, str(SERVER), "--stdio"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.ids = 0
        self.answers: dict[int, queue.Queue[dict[str, Any]]] = {}
        self.published: dict[str, list[dict[str, Any]]] = {}
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, name="yaml-language-server", daemon=True)
        self.reader.start()
        uri = root.as_uri()
        self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": root.name}],
                "capabilities": {"workspace": {"configuration": True}, "textDocument": {"publishDiagnostics": {}}},
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})
        # The server takes the settings when it asks for them: a request answered after
        # that is answered with them in place.
        self.request("yaml/get/all/jsonSchemas", "file:///none.yaml")

    # --- the editor's side

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        with self.changed:
            self.published.pop(uri, None)
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}
        )
        return uri

    def close(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        """The diagnostics the server publishes for an open document (it validates it once opened)."""
        deadline = time.monotonic() + TIMEOUT_S
        with self.changed:
            while uri not in self.published:
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise GateError(f"yaml-language-server published no diagnostics for {uri}")
                self.changed.wait(left)
            return self.published[uri]

    def schemas(self, uri: str) -> list[str]:
        """The schemas the server validates an open document against."""
        return sorted(s["uri"] for s in self.request("yaml/get/jsonSchema", uri))

    def stop(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except (GateError, OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()

    # --- JSON-RPC

    def request(self, method: str, params: Any, timeout: float = TIMEOUT_S) -> Any:
        self.ids += 1
        answer: queue.Queue[dict[str, Any]] = queue.Queue()
        self.answers[self.ids] = answer
        self._send({"jsonrpc": "2.0", "id": self.ids, "method": method, "params": params})
        try:
            message = answer.get(timeout=timeout)
        except queue.Empty:
            raise GateError(f"yaml-language-server did not answer {method} in {timeout:.0f} s") from None
        if "error" in message:
            raise GateError(f"yaml-language-server: {method}: {message['error']}")
        return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _answer_server(self, message: dict[str, Any]) -> None:
        """What the server asks the editor: its settings, and leave to register capabilities."""
        result: Any = None
        if message["method"] == "workspace/configuration":
            result = [self.settings.get(item.get("section"), {}) for item in message["params"]["items"]]
        self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while (message := _read_message(self.proc.stdout)) is not None:
            if "method" in message and "id" in message:
                self._answer_server(message)
            elif "id" in message:
                self.answers[message["id"]].put(message)
            elif message.get("method") == "textDocument/publishDiagnostics":
                with self.changed:
                    self.published[message["params"]["uri"]] = message["params"]["diagnostics"]
                    self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()


def _read_message(stream: BinaryIO) -> Optional[dict[str, Any]]:
    length = 0
    while True:
        line = stream.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    message: dict[str, Any] = json.loads(stream.read(length))
    return message
