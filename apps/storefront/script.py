"""The widget's script, its lazy editor and 3D viewer, brand fonts and a demo shop page: on every host.

`/widget/v1/` is the major version of the embed contract: merchants' pages keep one URL for
years, and every compatible change ships under it. So the script cannot have a hashed name;
it is cached for a day (then revalidated with its ETag, answered 304 while unchanged) and may
be used stale for a week while the browser revalidates. A fix reaches every shop within a day.
"""

import functools
import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.views.decorators.http import require_safe

from apps.brands.fonts import FONT_DIR, FONTS
from apps.tenants.selectors import widget_demo_key_allowed

WIDGET_SCRIPT = Path(settings.BASE_DIR) / "widget" / "dist" / "luneo.js"
EDITOR_SCRIPT = Path(settings.BASE_DIR) / "widget" / "dist" / "luneo-editor.js"
MODEL_VIEWER = Path(settings.BASE_DIR) / "static" / "vendor" / "model-viewer" / "model-viewer.min.js"
CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800"
JAVASCRIPT = "text/javascript; charset=utf-8"
FONT_FILES = {name for font in FONTS.values() for name in (font.regular, font.bold)}


@dataclass(frozen=True)
class Script:
    body: bytes
    gzipped: bytes
    etag: str  # of the plain body; the gzipped one is `<etag>-gzip`

    def etags(self) -> set[str]:
        return {self.etag, self.etag[:-1] + '-gzip"'}


@functools.lru_cache(maxsize=4)
def _script(path: Path, mtime_ns: int) -> Script:
    """Read once per process and per version of the file (a rebuild changes its mtime)."""
    body = path.read_bytes()
    digest = hashlib.sha256(body).hexdigest()[:32]
    return Script(body=body, gzipped=gzip.compress(body, compresslevel=9, mtime=0), etag=f'"{digest}"')


def _serve(request, path: Path, content_type: str = JAVASCRIPT) -> HttpResponse:
    script = _script(path, path.stat().st_mtime_ns)
    zipped = "gzip" in request.headers.get("Accept-Encoding", "")
    etag = script.etag[:-1] + '-gzip"' if zipped else script.etag
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag, "Access-Control-Allow-Origin": "*"}
    if script.etags() & set(parse_etags(request.headers.get("If-None-Match", ""))):
        response = HttpResponseNotModified(headers=headers)
    else:
        body = script.gzipped if zipped else script.body
        response = HttpResponse(body, content_type=content_type, headers=headers)
        if zipped:
            response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@require_safe
def widget_script(request):
    """`/widget/v1/luneo.js`: the embeddable widget (built by widget/build.py)."""
    return _serve(request, WIDGET_SCRIPT)


@require_safe
def model_viewer_script(request):
    """`/widget/v1/model-viewer.js`: the vendored <model-viewer>, imported by the widget on first 3D.

    Served here rather than from /static/ so that any shop may import it (CORS) on every host.
    """
    return _serve(request, MODEL_VIEWER)


@require_safe
def editor_script(request):
    """`/widget/v1/editor.js`: the design editor, an ES module the widget imports when first opened."""
    return _serve(request, EDITOR_SCRIPT)


@require_safe
def widget_font(request, name: str):
    """`/widget/v1/fonts/<file>.ttf`: a bundled brand font, loadable by FontFace on any site (CORS)."""
    if name not in FONT_FILES:
        raise Http404("No such font")
    return _serve(request, FONT_DIR / name, "font/ttf")


@require_safe
def widget_demo(request):
    """`/widget/v1/demo?key=pk_…&product=SKU`: a pretend shop embedding the widget as a merchant would.

    Only with a key of the host's own workspace (on the public host: the demo workspace's), so
    that no host shows another workspace's widget as if it were its own.
    """
    key = request.GET.get("key", "")
    if key and not widget_demo_key_allowed(raw=key, host_tenant=request.tenant):
        raise Http404("No widget demo for this key on this host")
    context = {"key": key, "product": request.GET.get("product", "")}
    return render(request, "storefront/demo.html", context)
