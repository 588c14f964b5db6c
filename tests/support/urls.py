"""Test-only API endpoints: a crash, and an idempotent POST that can fail with a 5xx."""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Invitation
from apps.tenants.api.idempotency import idempotent


class CrashView(APIView):
    def get(self, request):
        raise RuntimeError("boom")


class FlakyCreateView(APIView):
    """Creates a row, then answers with the status the body asks for."""

    @idempotent
    def post(self, request):
        invitation = Invitation.objects.create(
            tenant=request.auth.tenant,
            email=request.data["email"],
            role="viewer",
            token_hash=request.data["email"],
            expires_at="2999-01-01T00:00:00Z",
        )
        body = None if request.data["status"] == 204 else {"id": invitation.pk}
        return Response(body, status=request.data["status"])


urlpatterns = [
    path("api/v1/test/crash", CrashView.as_view()),
    path("api/v1/test/flaky", FlakyCreateView.as_view()),
    path("", include("config.urls_api")),
]
