"""What the designs app tells the apps above it, without importing them (docs/directory-structure.md)."""

from django.dispatch import Signal

# Sent inside the transaction that makes a design ready: `design`. Campaigns schedule the
# design-abandonment e-mail.
design_finished = Signal()

# Sent inside the transaction that makes a corrected design ready again (services.
# design_text_correct, then its files drawn anew): `design`. Orders rebuild the packs that hold it.
design_reprinted = Signal()
