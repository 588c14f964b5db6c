"""Input and output shapes of the brands API."""

from django.conf import settings
from rest_framework import serializers

from apps.core.api.serializers import StrictSerializer

from ..embed import embed_snippet
from ..fonts import FONT_CHOICES
from ..models import HEX_COLOR
from ..selectors import brand_publishable_key

COLOR_HELP = "A colour as #RRGGBB."
COUNTRY_HELP = "Where the brand ships from (ISO 3166 code, e.g. `FR`): the widget checkout's default country."


class BrandInputSerializer(StrictSerializer):
    # Its length as sent (the service trims it and refuses control characters: 422).
    name = serializers.CharField(max_length=100, trim_whitespace=False)
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
        child=serializers.CharField(max_length=100, allow_blank=True),  # blank words are dropped
        required=False,
        max_length=1000,
    )
    allow_photo_upload = serializers.BooleanField(required=False)
    allow_text_layers = serializers.BooleanField(required=False)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2, help_text=COUNTRY_HELP)


class BrandSerializer(serializers.Serializer):
    """A brand with its widget key. A list is given its brands' keys in `context["publishable_keys"]`."""

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
    publishable_key = serializers.SerializerMethodField(
        help_text=(
            "The brand's active widget key `pk_live_…` (public by design: it works only from the"
            " allowed origins). Null when it has none, or when its key was made before keys were"
            " kept: rotate it to get one."
        )
    )
    embed_snippet = serializers.SerializerMethodField(
        help_text="The tags to paste into a product page, with `SKU` to replace; null without a key."
    )
    country = serializers.CharField(help_text=COUNTRY_HELP)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_has_logo(self, brand) -> bool:
        return bool(brand.logo)

    def _key(self, brand):
        keys = self.context.get("publishable_keys")
        return keys.get(brand.pk) if keys is not None else brand_publishable_key(brand=brand)

    def get_publishable_key(self, brand) -> str | None:
        key = self._key(brand)
        return (key.publishable_value or None) if key else None

    def get_embed_snippet(self, brand) -> str | None:
        return embed_snippet(self._key(brand)) or None


class PublishableKeySerializer(serializers.Serializer):
    publishable_key = serializers.CharField(help_text="The new key. The previous one stops working.")
    prefix = serializers.CharField()
