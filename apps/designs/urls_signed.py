"""Signed asset downloads, on every host (included from config/urls_api.py)."""

from django.urls import path

from .downloads import asset_download, correction_preview

urlpatterns = [
    path("designs/assets/<str:token>/", asset_download, name="design-asset"),
    path("designs/corrections/<str:token>/preview.png", correction_preview, name="design-correction-preview"),
]
