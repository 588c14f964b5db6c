"""Files shaped like ERP exports, and running an import through the real services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.crm.etl.services import import_create, import_execute, import_report
from apps.crm.models import Import

CUSTOMERS = (
    "client_code;nom;prenom;email;telephone;adresse;code_postal;ville;pays\n"
    "C00001;Lefèvre;Loïc;loic.lefevre1@example.fr;+33 1 23 45 67 89;"
    '"1 rue de l\'Église; bât. B";68100;Mulhouse;France\n'
    "C00002;Müller;Zoé; ZOE.Muller@Example.FR ;03 89 12 34 56;2 place de la Réunion;1000;"
    "Bourg-en-Bresse;France\n"
    "C00003;Durand;Élise;not-an-email;abc;3 rue Haute;75002;Paris;France\n"
)
PRODUCTS = (
    "produit,article,millesime,famille_crm,sous_famille,macro_categorie,prix_ttc,price_band,premium_tier\n"
    'Crémant d\'Alsace Extra Brut,CREMANT,,Alsace,Effervescents,Aperitif,"10,20",,Standard\n'
    'Muscat d\'Alsace,MUSCAT,2022,Alsace,Blancs,Repas,"12,50",,Standard\n'
    'Pinot Gris SGN,PGSGN,2018,Alsace,Liquoreux,Dessert,"1\u00a0234,56",Haut,Premium\n'
)
SALES_HEADER = (
    "client_code;date_livraison;produit_label;qty_line;pu_ht;mt_ht;mt_ttc;marge;document_type;document_no;"
    "article;email;code_postal;ville\n"
)
SALES = SALES_HEADER + (
    "C00001;02/01/2024;Muscat d'Alsace;11;9,58;105,38;126,46;31,61;VENTE;V0000001;MUSCAT;;;\n"
    "C00002;2025-04-05;Pinot Gris SGN;-2;40,83;-81,66;-97,99;-24,50;AVOIR;A0000002;PGSGN;;;\n"
    "C00001;03/01/2024;Crémant d'Alsace Extra Brut;6;8,50;1\u00a0051,00;1\u00a0261,20;20,00;"
    "VENTE;V0000003;CREMANT;;;\n"
)


def upload(text: str | bytes, *, encoding: str = "utf-8", name: str = "export.csv") -> SimpleUploadedFile:
    content = text if isinstance(text, bytes) else text.encode(encoding)
    return SimpleUploadedFile(name, content, content_type="text/csv")


def run_import(text: str | bytes, *, kind: str = "", encoding: str = "utf-8", **options) -> Import:
    """Create the import and run it here (as the `etl` worker would); the refreshed Import."""
    import_run = import_create(file=upload(text, encoding=encoding), kind=kind, run=False, **options)
    import_execute(import_run=import_run)
    import_run.refresh_from_db()
    return import_run


def report(import_run: Import) -> dict:
    return import_report(import_run)


def catalogue_and_customers() -> None:
    """The customers and products the sales lines above refer to."""
    run_import(CUSTOMERS)
    run_import(PRODUCTS)
