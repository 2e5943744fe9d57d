"""The web app of ``mapper serve`` (Starlette, run by uvicorn) and the function that runs it.

Security model: the server binds 127.0.0.1 unless told otherwise; every request carries the per-run token
(the page and its assets in the URL, ``?token=``; API calls in the ``X-Mapper-Token`` header, which another
site's page cannot set without a CORS preflight this server never grants); the map page is served with a
CSP sandbox (an opaque origin: even its own scripts cannot call the API); the app page allows only its own
script (no inline script) and builds every text from reports with ``textContent``.
"""

from __future__ import annotations

import hmac
import json
import secrets
import socket
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import ExportError, InputError, LimitError, MapperError
from .workspace import DEFAULT_TABLE_UPLOAD, PathError, Workspace

TOKEN_HEADER = "x-mapper-token"
STATIC = {"app.js": "text/javascript", "app.css": "text/css"}
APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# the map page: its own inline scripts run, in an opaque origin (no access to the app or its API)
MAP_CSP = "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox; frame-ancestors 'self'"
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
MAX_JSON = 64 * 1024


def _asset(name: str) -> str:
    return resources.files("mapper.serve").joinpath("static", name).read_text(encoding="utf-8")


class TokenGuard:
    """Refuses (403) every request without the run's token: in the X-Mapper-Token header for /api/, in the
    header or the ``token`` query parameter for the page, its assets and the map. Adds security headers."""

    def __init__(self, app: ASGIApp, token: str):
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        given = request.headers.get(TOKEN_HEADER, "")
        if not scope["path"].startswith("/api/") and not given:
            given = request.query_params.get("token", "")
        if not hmac.compare_digest(given.encode(), self.token):
            response = JSONResponse({"error": "missing or wrong token: open the URL mapper serve printed"}, 403)
            await self._with_headers(response)(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _with_headers(response: Response) -> Response:
        for k, v in SECURITY_HEADERS:
            response.headers[k.decode()] = v.decode()
        return response


def _error(e: Exception) -> JSONResponse:
    if isinstance(e, PathError):
        status = 403 if "outside" in str(e) or "absolute" in str(e) else 400
    elif isinstance(e, LimitError):
        status = 413
    elif isinstance(e, InputError):
        status = 422
    elif isinstance(e, ExportError):
        status = 500
    elif isinstance(e, MapperError):
        status = 422
    else:
        status = 500
        e = Exception(f"internal error: {type(e).__name__}: {e}")
    return JSONResponse({"error": str(e)}, status)


async def _json_body(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise InputError("send JSON (Content-Type: application/json)")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_JSON:
            raise LimitError("request body too large")
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        raise InputError("the request body is not JSON") from None
    if not isinstance(data, dict):
        raise InputError("the request body must be a JSON object")
    return data


def create_app(
    folder: str | Path,
    title: str = "Incident map",
    date: str | None = None,
    who: str | None = None,
    token: str | None = None,
    max_table_bytes: int = DEFAULT_TABLE_UPLOAD,
) -> Starlette:
    """The review app over FOLDER; ``app.state.token`` is the token every request must carry."""
    ws = Workspace(folder, title=title, date=date, who=who, max_table_bytes=max_table_bytes)
    token = token or secrets.token_urlsafe(24)
    page = _asset("index.html").replace("__TOKEN__", token)
    bridge = _asset("bridge.js")

    async def guarded(fn, *args, **kwargs) -> Response:
        try:
            result = await run_in_threadpool(fn, *args, **kwargs)
        except Exception as e:  # every error is one JSON line for the page, never a traceback
            return _error(e)
        return result if isinstance(result, Response) else JSONResponse(result)

    def state() -> dict:
        with ws.lock:
            if ws.events is None and ws.error is None and ws.input_files()[0]:
                try:
                    ws.build()
                except MapperError:
                    pass  # ws.error says why; the page shows it
            return ws.state()

    async def index(request: Request) -> Response:
        return HTMLResponse(page, headers={"content-security-policy": APP_CSP})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return JSONResponse({"error": "no such file"}, 404)
        return Response(_asset(name), media_type=STATIC[name])

    def map_page() -> Response:
        p = ws.inside("map.html")
        if p.is_file():
            text = p.read_text(encoding="utf-8")
        else:
            text = "<!doctype html><meta charset=utf-8><title>No map yet</title><body></body>"
        at = text.rfind("</html>")  # folium's map script comes after </body>: the bridge runs after it
        at = at if at >= 0 else len(text)
        text = text[:at] + "<script>" + bridge + "</script>" + text[at:]
        return HTMLResponse(text, headers={"content-security-policy": MAP_CSP})

    async def map_route(request: Request) -> Response:
        return await guarded(map_page)

    async def api_state(request: Request) -> Response:
        return await guarded(state)

    async def api_upload(request: Request) -> Response:
        raw = request.path_params["name"]
        try:
            from .workspace import check_name

            name = check_name(raw)
            declared = int(request.headers.get("content-length") or 0)
            if declared > ws.upload_limit(name):
                raise ws.limit_error(name, declared)
            # the body is read here (async) into memory-bounded chunks, then checked and stored in a thread
            chunks: list[bytes] = []
            size = 0
            async for chunk in request.stream():
                size += len(chunk)
                if size > ws.upload_limit(name):
                    raise ws.limit_error(name, size)
                chunks.append(chunk)
        except Exception as e:
            return _error(e)
        return await guarded(ws.save_upload, name, chunks)

    async def api_rebuild(request: Request) -> Response:
        def run() -> dict:
            ws.build()
            return ws.state()

        return await guarded(run)

    async def api_search(request: Request) -> Response:
        q = request.query_params.get("q", "")
        return await guarded(lambda: {"candidates": ws.search(q, request.query_params.get("country", ""))})

    async def api_place(request: Request) -> Response:
        try:
            body = await _json_body(request)
        except Exception as e:
            return _error(e)

        def run() -> dict:
            lat, lon = body.get("lat"), body.get("lon")
            for v in (lat, lon):
                if v is not None and not isinstance(v, int | float):
                    raise InputError("lat and lon must be numbers")
            ws.pick(
                str(body.get("event_id") or ""),
                str(body.get("name") or ""),
                place_id=str(body["place_id"]) if body.get("place_id") else None,
                lat=lat,
                lon=lon,
                who=str(body.get("who") or "") or None,
            )
            return ws.state()

        return await guarded(run)

    async def api_edit(request: Request) -> Response:
        try:
            body = await _json_body(request)
        except Exception as e:
            return _error(e)

        def run() -> dict:
            values = body.get("values")
            if not isinstance(values, dict) or not values:
                raise InputError("give the fields to change as 'values'")
            ws.edit(str(body.get("event_id") or ""), values, who=str(body.get("who") or "") or None)
            return ws.state()

        return await guarded(run)

    async def api_undo(request: Request) -> Response:
        try:
            body = await _json_body(request)
        except Exception as e:
            return _error(e)

        def run() -> dict:
            undone = ws.undo(who=str(body.get("who") or "") or None)
            return ws.state() | {"undone": undone.as_dict() if undone else None}

        return await guarded(run)

    async def api_export(request: Request) -> Response:
        fmt = request.path_params["fmt"]

        def run() -> Response:
            path = ws.export(fmt)
            return FileResponse(path, filename=path.name, media_type="application/octet-stream")

        return await guarded(run)

    routes = [
        Route("/", index),
        Route("/static/{name}", static),
        Route("/map", map_route),
        Route("/api/state", api_state),
        Route("/api/inputs/{name:path}", api_upload, methods=["PUT"]),
        Route("/api/rebuild", api_rebuild, methods=["POST"]),
        Route("/api/search", api_search),
        Route("/api/place", api_place, methods=["POST"]),
        Route("/api/edit", api_edit, methods=["POST"]),
        Route("/api/undo", api_undo, methods=["POST"]),
        Route("/api/export/{fmt}", api_export, methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(TokenGuard, token=token)
    app.state.token = token
    app.state.workspace = ws
    return app


def serve(
    folder: str | Path = ".",
    host: str = "127.0.0.1",
    port: int = 8765,
    title: str = "Incident map",
    date: str | None = None,
    who: str | None = None,
    max_table_bytes: int = DEFAULT_TABLE_UPLOAD,
    out=None,
) -> None:
    """Runs the review app until Ctrl-C (SIGINT) or SIGTERM; prints the URL with the run's token. Requests
    in flight finish first, and every file is written atomically, so stopping leaves no half-written file."""
    import uvicorn

    out = out or sys.stdout
    app = create_app(folder, title=title, date=date, who=who, max_table_bytes=max_table_bytes)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port} ({e.strerror or e})") from None
    sock.listen(64)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    print(f"mapper serve: {app.state.workspace.root}", file=out)
    print(f"open http://{shown}:{bound}/?token={app.state.token}", file=out)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {host}: other machines can reach this page (the token still applies)", file=out)
    out.flush()
    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=120)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    print("mapper serve: stopped", file=out)
    out.flush()
