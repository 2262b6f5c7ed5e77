"""Static files and the API docs, all from installed packages: plotly.js (and its style
rules) from ``plotly``, Swagger UI 5 from ``swagger-ui-py``'s static folder (the
``swagger-ui-bundle`` package ships Swagger UI 4, which cannot read FastAPI's OpenAPI 3.1), the
pages' CSS and chart script from this package. Nothing comes from a CDN; only whitelisted file
names are served."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CACHE = {"Cache-Control": "public, max-age=86400"}
SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")


@cache
def _own() -> dict[str, Path]:
    folder = Path(str(resources.files("nqpf.web") / "static"))
    return {p.name: p for p in folder.iterdir() if p.is_file()}


@cache
def _swagger() -> dict[str, Path]:
    from importlib.util import find_spec

    spec = find_spec("swagger_ui")  # the package's files, without running its __init__
    if spec is None or not spec.submodule_search_locations:
        return {}
    folder = Path(next(iter(spec.submodule_search_locations))) / "static"
    return {name: folder / name for name in SWAGGER_FILES}


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return FileResponse(path, media_type="application/javascript", headers=CACHE)


@cache
def _plotly_js() -> str:
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text("utf-8")


_STR = r"""(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")"""
#: maplibre's stylesheet, which the bundle injects in a <style> unless an element has its id.
_MAPLIBRE = re.compile(r'getElementById\("([0-9a-f]{64})"\)\)\{var (\w+)=document\.createElement\("style"\);'
                       r"\2\.id=\"\1\",\2\.textContent=" + _STR)


@cache
def plotly_css() -> str:
    """plotly.js's own style rules as a stylesheet. plotly.js inserts them with a <style>
    element, which a CSP without 'unsafe-inline' blocks; it skips that when the page has
    ``#plotly.js-style-global.no-inline-styles`` (our <link> to this file). Read from the
    installed bundle, so they match its version. (maplibre's stylesheet is not needed: no
    page draws a map; :func:`plotly_preempt` stops its injection.)"""
    js = _plotly_js()
    out = []
    start = js.find('{"X,X div":')
    if start >= 0:
        for key, single, double in re.findall(r'"((?:[^"\\]|\\.)*)":' + _STR,
                                              js[start + 1:js.find("}", start)]):
            sel = re.sub(r"^,", " ,", key).replace("X", ".js-plotly-plot .plotly")
            out.append(f"{sel.replace('Y', '.plotly-notifier')}{{{single or double}}}")
    return "\n".join(out) + "\n"


@cache
def plotly_preempt() -> list[str]:
    """Ids of the <style> elements plotly.js would inject, other than its global one."""
    m = _MAPLIBRE.search(_plotly_js())
    return [m.group(1)] if m else []


@router.get("/static/plotly.css")
def plotly_stylesheet() -> Response:
    return Response(plotly_css(), media_type="text/css", headers=CACHE)


@router.get("/static/swagger/{name}")
def swagger_file(name: str) -> FileResponse:
    return _served(_swagger(), name)


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    return _served(_own(), name)


def _served(files: dict, name: str) -> FileResponse:
    """One of ``files`` (name → path) by name; only those names are served."""
    path = files.get(name)
    if path is None:
        raise HTTPException(404, "no such file")
    return FileResponse(path, headers=CACHE)


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    """Swagger UI for /openapi.json, served locally; its one inline script carries the
    response's CSP nonce."""
    page = get_swagger_ui_html(
        openapi_url=request.app.openapi_url, title=f"{request.app.title} · API",
        swagger_js_url="/static/swagger/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger/swagger-ui.css",
        swagger_favicon_url="/static/swagger/favicon-32x32.png",
        swagger_ui_parameters={"validatorUrl": None})
    nonce = request.state.csp_nonce
    html = bytes(page.body).decode().replace("<script>", f'<script nonce="{nonce}">')
    return HTMLResponse(html)


@router.get("/redoc")
def redoc() -> RedirectResponse:
    """ReDoc would need a CDN; the offline docs are at /docs."""
    return RedirectResponse("/docs", status_code=307)
