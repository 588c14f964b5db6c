from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    *(path(f"{section}/", views.section, {"section": section}, name=section) for section in views.SECTIONS),
]
