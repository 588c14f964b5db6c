"""The public host's URLs plus the baseline: a bare Django JSON view, on a page's path (every
middleware) and on an API path (the middleware API calls run, config/middleware.py)."""

from django.http import JsonResponse
from django.urls import path

from config.urls_public import urlpatterns as public_urlpatterns


def bare(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/bare", bare), path("api/v1/bench/bare", bare), *public_urlpatterns]
