from django.urls import path

from . import views

app_name = "accounts-api"
urlpatterns = [
    path("me", views.MeView.as_view(), name="me"),
    path("members", views.MemberListView.as_view(), name="members"),
    path("invitations", views.InvitationListView.as_view(), name="invitations"),
    path("invitations/<int:pk>", views.InvitationDetailView.as_view(), name="invitation"),
]
