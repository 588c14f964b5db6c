from django.urls import path

from . import views

app_name = "designs-api"
urlpatterns = [
    path("designs", views.DesignListView.as_view(), name="designs"),
    path("designs/<int:pk>", views.DesignDetailView.as_view(), name="design"),
    path("designs/<int:pk>/retry", views.DesignRetryView.as_view(), name="design-retry"),
    path("designs/<int:pk>/cancel", views.DesignCancelView.as_view(), name="design-cancel"),
    path("designs/<int:pk>/variations", views.DesignVariationView.as_view(), name="design-variations"),
]
