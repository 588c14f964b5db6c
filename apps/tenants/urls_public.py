from django.urls import path

from . import views

app_name = "tenants"
urlpatterns = [path("workspaces/", views.workspaces, name="workspaces")]
