"""A Python client generated from a service's OpenAPI (openapi-python-client), as an
integrator would build one, talking to the app in process."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from fastapi import FastAPI


def generate_client(app: FastAPI, directory: Path, package: str) -> ModuleType:
    """Generate `package` from the app's OpenAPI into `directory` and import it."""
    document = directory / f"{package}.json"
    document.write_text(json.dumps(app.openapi()), encoding="utf-8")
    generated = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(document),
            "--output-path",
            str(directory / package),
            "--meta",
            "none",
            "--overwrite",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    # The generator warns on what it cannot represent; a truthful document gives none.
    assert "Warning" not in generated.stdout, generated.stdout
    sys.path.insert(0, str(directory))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(directory))


def in_process_client(module: ModuleType, app: FastAPI, token: str) -> Any:
    """The generated `AuthenticatedClient`, its requests served by the app in this process."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    client = module.AuthenticatedClient(base_url="http://service", token=token)
    client.set_async_httpx_client(
        httpx.AsyncClient(
            transport=transport,
            base_url="http://service",
            headers={"Authorization": f"Bearer {token}"},
        )
    )
    return client
