"""What the database cannot do alone: phone numbers to E.164 and country names to ISO codes.

Both run once per distinct value of the file (a few thousand at most), never per row.
"""

import phonenumbers

# Country names as ERPs write them (lowercased, no accents) → ISO 3166-1 alpha-2.
COUNTRY_NAMES = {
    "france": "FR",
    "belgique": "BE",
    "belgium": "BE",
    "suisse": "CH",
    "switzerland": "CH",
    "luxembourg": "LU",
    "allemagne": "DE",
    "germany": "DE",
    "deutschland": "DE",
    "espagne": "ES",
    "spain": "ES",
    "italie": "IT",
    "italy": "IT",
    "royaume_uni": "GB",
    "united_kingdom": "GB",
    "uk": "GB",
    "angleterre": "GB",
    "pays_bas": "NL",
    "netherlands": "NL",
    "etats_unis": "US",
    "usa": "US",
    "united_states": "US",
    "canada": "CA",
    "chine": "CN",
    "china": "CN",
    "japon": "JP",
    "japan": "JP",
    "danemark": "DK",
    "denmark": "DK",
    "suede": "SE",
    "sweden": "SE",
    "norvege": "NO",
    "autriche": "AT",
    "austria": "AT",
    "portugal": "PT",
    "irlande": "IE",
    "monaco": "MC",
}


def country_code(value: str, default: str = "") -> str:
    """`France`, `france`, `FR`, `fr` → `FR`; unknown → "" ; empty → `default`."""
    from .fields import header_key

    value = (value or "").strip()
    if not value:
        return default
    if len(value) == 2 and value.isalpha():
        return value.upper()
    return COUNTRY_NAMES.get(header_key(value), "")


def phone_e164(value: str, region: str) -> str | None:
    """The number in E.164 (`+33123456789`), or None when it cannot be read as a possible number."""
    try:
        number = phonenumbers.parse(value, region or "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
