"""Pages a campaign's recipients open from a message, on the workspace's host: `campaigns-public:<page>`."""

from django.urls import path

from . import views_public

app_name = "campaigns-public"
urlpatterns = [
    path("c/<str:token>/", views_public.click, name="click"),
    path("o/<str:token>.gif", views_public.opened, name="open"),
    path("u/<str:token>/", views_public.unsubscribe_page, name="unsubscribe"),
    path("p/<str:token>/", views_public.preferences_page, name="preferences"),
    path("subscribe/", views_public.subscribe_page, name="subscribe"),
    path("confirm/<str:token>/", views_public.confirm_page, name="confirm"),
    path("brevo/tracking/", views_public.brevo_tracking, name="brevo-tracking"),
]
