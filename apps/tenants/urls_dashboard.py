from django.urls import path

from . import views

app_name = "tenants"
urlpatterns = [path("handoff/", views.handoff, name="handoff")]
