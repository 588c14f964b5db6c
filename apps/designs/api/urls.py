from django.urls import path

from . import views

app_name = "designs-api"
urlpatterns = [
    path("designs", views.DesignListView.as_view(), name="designs"),
    path("designs/<str:id>", views.DesignDetailView.as_view(), name="design"),
    path("designs/<str:id>/retry", views.DesignRetryView.as_view(), name="design-retry"),
    path("designs/<str:id>/cancel", views.DesignCancelView.as_view(), name="design-cancel"),
    path("designs/<str:id>/variations", views.DesignVariationView.as_view(), name="design-variations"),
]
