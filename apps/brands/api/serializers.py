"""Input and output shapes of the brands API."""

from django.conf import settings
from rest_framework import serializers

from apps.core.api.serializers import StrictSerializer

from ..fonts import FONT_CHOICES
from ..models import HEX_COLOR

COLOR_HELP = "A colour as #RRGGBB."
COUNTRY_HELP = "Where the brand ships from (ISO 3166 code, e.g. `FR`): the widget checkout's default country."


class BrandInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    logo = serializers.FileField(
        required=False, write_only=True, help_text="An image (multipart); it is checked and re-encoded."
    )
    primary_color = serializers.RegexField(HEX_COLOR, required=False, help_text=COLOR_HELP)
    secondary_color = serializers.RegexField(HEX_COLOR, required=False, help_text=COLOR_HELP)
    font = serializers.ChoiceField(choices=FONT_CHOICES, required=False)
    default_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    allowed_origins = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=50,
        help_text="Websites where the widget may run: `https://shop.example`, without a path.",
    )
    blocked_words = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=1000
    )
    allow_photo_upload = serializers.BooleanField(required=False)
    allow_text_layers = serializers.BooleanField(required=False)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2, help_text=COUNTRY_HELP)


class BrandSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    has_logo = serializers.SerializerMethodField()
    primary_color = serializers.CharField()
    secondary_color = serializers.CharField()
    font = serializers.CharField()
    default_language = serializers.CharField()
    allowed_origins = serializers.ListField(child=serializers.CharField())
    blocked_words = serializers.ListField(child=serializers.CharField())
    allow_photo_upload = serializers.BooleanField()
    allow_text_layers = serializers.BooleanField()
    country = serializers.CharField(help_text=COUNTRY_HELP)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_has_logo(self, brand) -> bool:
        return bool(brand.logo)


class BrandCreatedSerializer(BrandSerializer):
    publishable_key = serializers.CharField(
        help_text="The brand's widget key `pk_live_…`: shown only in this answer, store it now."
    )


class PublishableKeySerializer(serializers.Serializer):
    publishable_key = serializers.CharField(
        help_text="The new key, shown once. The previous one stops working."
    )
    prefix = serializers.CharField()
