"""Input and output shapes of the workspace API."""

from rest_framework import serializers

from apps.core.api.serializers import QuerySerializer
from apps.tenants.models import Role


class TenantSerializer(serializers.Serializer):
    slug = serializers.CharField(source="schema_name")
    name = serializers.CharField()


class ApiKeySerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer):
    """The workspace and the key a request authenticates as."""

    tenant = TenantSerializer()
    key = ApiKeySerializer()


class MemberFilterSerializer(QuerySerializer):
    role = serializers.ChoiceField(
        choices=Role.choices, required=False, help_text="Only members with this role."
    )
    search = serializers.CharField(
        required=False, max_length=254, help_text="Members whose email contains this text."
    )


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.name")
    role = serializers.ChoiceField(choices=Role.choices)
    joined_at = serializers.DateTimeField(source="created_at")


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Role.choices, help_text="API keys may invite anyone but owners.")


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
