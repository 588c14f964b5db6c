"""Bases for the operators' admin: JSON that staff type is parsed like every other input.

Django's JSON form field decodes with the json module as it is, so a NUL escape, NaN or JSON
nested thousands deep passes the form and fails in PostgreSQL or in the decoder (a 500). With
`apps.core.hygiene.JSONDecoder` each is a form error. Every ModelAdmin and inline that can edit
a JSONField derives from these.
"""

from django.contrib import admin
from django.db import models

from .hygiene import JSONDecoder

JSON_INPUT = {models.JSONField: {"decoder": JSONDecoder}}


class ModelAdmin(admin.ModelAdmin):
    formfield_overrides = JSON_INPUT


class TabularInline(admin.TabularInline):
    formfield_overrides = JSON_INPUT
