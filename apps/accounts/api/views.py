"""The workspace API: the key itself, members and invitations. Everything is scoped to the key's workspace."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.tenants.api.idempotency import idempotent
from apps.tenants.models import Role
from apps.tenants.selectors import member_list

from ..selectors import invitation_list_pending
from ..services import invitation_create, invitation_revoke
from .serializers import (
    InvitationCreateSerializer,
    InvitationSerializer,
    MemberFilterSerializer,
    MemberSerializer,
    MeSerializer,
)


def _validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# A key acts with admin rights, never owner: a leaked key must not hand out ownership.
KEY_ROLE = Role.ADMIN


class MeView(APIView):
    required_scopes = {"GET": "account:read"}

    @extend_schema(responses=MeSerializer, summary="The workspace and key making the request")
    def get(self, request):
        key = request.auth  # a plain dict: this is the API's hottest path (MeSerializer documents it)
        return Response(
            {
                "tenant": {"slug": key.tenant.schema_name, "name": key.tenant.name},
                "key": {"name": key.name, "type": key.type, "scopes": key.scopes},
            }
        )


class MemberListView(ListAPIView):
    required_scopes = {"GET": "account:read"}
    serializer_class = MemberSerializer

    @extend_schema(parameters=[MemberFilterSerializer], summary="List the workspace's members, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = _validated(MemberFilterSerializer, self.request.query_params)
        return member_list(
            tenant=self.request.auth.tenant, role=filters.get("role"), search=filters.get("search")
        )


class InvitationListView(ListAPIView):
    required_scopes = {"GET": "account:read", "POST": "team:write"}
    serializer_class = InvitationSerializer

    @extend_schema(summary="List pending invitations, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=InvitationCreateSerializer,
        responses={201: InvitationSerializer},
        summary="Invite someone by email",
        description="Emails an invitation link. A pending invitation to the same address is replaced.",
    )
    @idempotent
    def post(self, request):
        data = _validated(InvitationCreateSerializer, request.data)
        invitation, _token = invitation_create(
            tenant=request.auth.tenant,
            email=data["email"],
            role=data["role"],
            inviter_role=KEY_ROLE,
            invited_by=request.auth.created_by,
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    def get_queryset(self):
        return invitation_list_pending(tenant=self.request.auth.tenant)


class InvitationDetailView(GenericAPIView):
    required_scopes = {"DELETE": "team:write"}
    serializer_class = InvitationSerializer

    @extend_schema(responses={204: None}, summary="Revoke a pending invitation")
    def delete(self, request, pk: int):
        invitation_revoke(invitation=get_object_or_404(self.get_queryset(), pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_queryset(self):
        return invitation_list_pending(tenant=self.request.auth.tenant)
