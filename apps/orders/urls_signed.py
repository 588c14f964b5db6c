"""Signed production pack downloads, on every host (included from config/urls_api.py)."""

from django.urls import path

from .downloads import pack_download

urlpatterns = [path("orders/packs/<str:token>/", pack_download, name="order-pack")]
