"""The fields each kind of import fills, their types, and the headers that name them.

A header is compared once lowercased, without accents and with any run of other characters
as `_`: `Code postal`, `CODE_POSTAL` and `code-postal` are all `code_postal`.
"""

import re
import unicodedata
from dataclasses import dataclass

from ..models.imports import Kind


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # text, number, quantity, date, email, phone, postal_code, country, document_type
    synonyms: tuple[str, ...]
    required: bool = False
    max_length: int = 200


def _f(name, type_, *synonyms, required=False, max_length=200) -> Field:
    return Field(name, type_, (name, *synonyms), required, max_length)


FIELDS: dict[str, tuple[Field, ...]] = {
    Kind.CUSTOMERS: (
        _f(
            "external_id",
            "text",
            "client_code",
            "code_client",
            "client",
            "customer_code",
            "customer_id",
            "id_client",
            "num_client",
            "numero_client",
            "code",
            required=True,
            max_length=64,
        ),
        _f("last_name", "text", "nom", "name", "lastname", "nom_de_famille", "surname", max_length=120),
        _f("first_name", "text", "prenom", "firstname", "given_name", max_length=120),
        _f("email", "email", "e_mail", "mail", "courriel", "adresse_email", "adresse_mail", max_length=254),
        _f("phone", "phone", "telephone", "tel", "portable", "mobile", "phone_number", max_length=32),
        _f("address", "text", "adresse", "rue", "address1", "street", max_length=300),
        _f("postal_code", "postal_code", "code_postal", "cp", "zip", "zip_code", "postcode", max_length=20),
        _f("city", "text", "ville", "commune", "town", max_length=120),
        _f("country", "country", "pays", "country_code", "code_pays", max_length=2),
    ),
    Kind.PRODUCTS: (
        _f(
            "article",
            "text",
            "code_article",
            "sku",
            "ref",
            "reference",
            "product_code",
            required=True,
            max_length=64,
        ),
        _f("label", "text", "produit", "libelle", "designation", "product", "product_name", "nom"),
        _f("vintage", "text", "millesime", "annee", "year", max_length=10),
        _f("family", "text", "famille_crm", "famille", max_length=100),
        _f("sub_family", "text", "sous_famille", "subfamily", max_length=100),
        _f("category", "text", "macro_categorie", "categorie", max_length=100),
        _f("price", "number", "prix_ttc", "prix", "price_incl_tax"),
        _f("price_band", "text", "gamme_prix", max_length=40),
        _f("tier", "text", "premium_tier", "gamme", max_length=40),
    ),
    Kind.SALES: (
        _f(
            "customer",
            "text",
            "client_code",
            "code_client",
            "client",
            "customer_code",
            required=True,
            max_length=64,
        ),
        _f("date", "date", "date_livraison", "date_document", "date_facture", "invoice_date", required=True),
        _f("label", "text", "produit_label", "libelle", "designation", "produit"),
        _f("quantity", "quantity", "qty_line", "qty", "quantite", "qte"),
        _f("unit_price", "number", "pu_ht", "prix_unitaire_ht", "unit_price_excl_tax"),
        _f("amount_excl_tax", "number", "mt_ht", "montant_ht", "total_ht"),
        _f("amount_incl_tax", "number", "mt_ttc", "montant_ttc", "total_ttc"),
        _f("margin", "number", "marge"),
        _f("document_type", "document_type", "type_document", "type_piece", "type"),
        _f(
            "document_no",
            "text",
            "document_no",
            "numero_document",
            "num_piece",
            "no_piece",
            "invoice_no",
            required=True,
            max_length=64,
        ),
        _f("article", "text", "code_article", "sku", "ref", required=True, max_length=64),
        _f("email", "email", "e_mail", "mail", "courriel", max_length=254),
        _f("postal_code", "postal_code", "code_postal", "cp", max_length=20),
        _f("city", "text", "ville", max_length=120),
    ),
}


def header_key(header: str) -> str:
    text = unicodedata.normalize("NFKD", header or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def fields_of(kind: str) -> dict[str, Field]:
    return {field.name: field for field in FIELDS[kind]}


def mapping_guess(kind: str, headers: list[str]) -> dict[str, str]:
    """{header: field} for the headers a synonym names; each field taken once, by its first header."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        key = header_key(header)
        for field in FIELDS[kind]:
            if field.name not in taken and key in field.synonyms:
                mapping[header] = field.name
                taken.add(field.name)
                break
    return mapping


def missing_required(kind: str, mapping: dict[str, str]) -> list[str]:
    mapped = set(mapping.values())
    return [field.name for field in FIELDS[kind] if field.required and field.name not in mapped]


def kind_guess(headers: list[str]) -> str | None:
    """The kind whose required fields the headers all name (the one naming most fields if several)."""
    best, best_score = None, 0
    for kind in FIELDS:
        mapping = mapping_guess(kind, headers)
        if missing_required(kind, mapping):
            continue
        if len(mapping) > best_score:
            best, best_score = kind, len(mapping)
    return best
