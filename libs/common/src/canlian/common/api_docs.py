"""The interactive API docs (`/docs`), served from the kit's own copy of Swagger UI.

FastAPI's default page loads Swagger UI from a CDN (absent on government intranets) and starts
it with an inline script, which the platform's Content-Security-Policy refuses. This page
loads the vendored bundle and a start-up script from `/docs/static/` (see
`libs/common/web/README.md`). ReDoc is not served: its bundle injects inline styles.
"""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"

_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/static/swagger-ui/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="/docs/static/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/docs/static/docs.js"></script>
</body>
</html>
"""


def install_api_docs(app: FastAPI) -> None:
    """`/docs` and its assets; call on an app created with `docs_url=None, redoc_url=None`."""
    page = _PAGE.format(
        title=html.escape(app.title), openapi_url=html.escape(app.openapi_url or "/openapi.json")
    )

    @app.get("/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return HTMLResponse(page)

    app.mount("/docs/static", StaticFiles(directory=STATIC_DIR), name="api-docs-static")
