"""A service in a real uvicorn server and a page in real headless Chromium (Debian's), driven
over the DevTools protocol: what a page ran, what it refused (CSP violations), what it shows.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from canlian.testing.ports import HOST, listening_socket

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Installed in every document before its own scripts: collects what the CSP refused.
_WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run `app` in uvicorn (lifespan on) on a free port; yields its base URL."""
    sock = listening_socket()
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        app, host=HOST, port=port, log_level="warning", lifespan="on", server_header=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://{HOST}:{port}"
    for _ in range(400):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class Page:
    """One tab, spoken to over its DevTools web socket."""

    def __init__(self, socket_url: str) -> None:
        from websockets.sync.client import connect

        self._stack = ExitStack()
        self._socket = self._stack.enter_context(connect(socket_url, max_size=64 * 1024 * 1024))
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        ident = self._next_id
        self._socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv(timeout=60))
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, seconds: float = 30.0) -> Any:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise TimeoutError(f"page never satisfied: {expression}")

    def screenshot(self, path: Path) -> Path:
        """The page as it is drawn, as a PNG file."""
        import base64

        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def console_errors(self) -> list[str]:
        texts: list[str] = []
        for event in self.events:
            if event.get("method") == "Runtime.exceptionThrown":
                texts.append(json.dumps(event["params"]["exceptionDetails"])[:500])
            if event.get("method") == "Log.entryAdded":
                entry = event["params"]["entry"]
                if str(entry.get("url", "")).endswith("/favicon.ico"):
                    continue  # the browser's own guess, not the page's
                if entry.get("level") == "error":
                    texts.append(f"{entry.get('source')}: {entry.get('text')}")
        return texts

    def close(self) -> None:
        self._stack.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium; yields `open(url) -> Page` (CSP violations watched)."""
    if CHROMIUM is None:
        raise RuntimeError("chromium is not installed")
    profile = Path(tempfile.mkdtemp(prefix="canlian-chromium-"))
    process = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--window-size=1400,1100",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pages: list[Page] = []
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(600):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])

        def open_page(url: str) -> Page:
            target = httpx.put(f"http://127.0.0.1:{port}/json/new?about:blank", timeout=30).json()
            page = Page(target["webSocketDebuggerUrl"])
            pages.append(page)
            page.call("Runtime.enable")
            page.call("Log.enable")
            page.call("Page.enable")
            page.call("Page.addScriptToEvaluateOnNewDocument", source=_WATCH_VIOLATIONS)
            page.call("Page.navigate", url=url)
            return page

        yield open_page
    finally:
        for page in pages:
            page.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)
