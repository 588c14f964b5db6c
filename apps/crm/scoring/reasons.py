"""A recommendation's reason, written out in the reader's language from its code and figures.

Codes (`Recommendation.reason["code"]`) and their figures:

- `rebuy`: `label`, `times` (purchase days, ≥ 2), `every_days` (their own average interval),
  `last_days`, `window_days` ([p25, p50] of the item's repurchase interval);
- `rebuy_once`: as `rebuy` with `times` = 1 and `every_days` the item's median interval;
- `cross_sell`: `label`, `with` (the item it goes with), `together` (baskets with both),
  `confidence` (%), `lift`;
- `diversity`: `label`, `family` (a family the customer never bought).
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def reason_text(reason: dict) -> str:
    """The sentence for `reason` in the active language; an unknown code gives a generic one."""
    code = reason.get("code")
    figures = {key: value for key, value in reason.items() if key != "code"}
    if isinstance(figures.get("lift"), int | float):
        figures["lift"] = number_format(figures["lift"], 1)  # 1.5 in English, 1,5 in French
    try:
        if code == "rebuy":
            return (
                _("bought %(label)s %(times)s× about every %(every_days)s days, last %(last_days)s days ago")
                % figures
            )
        if code == "rebuy_once":
            return (
                _(
                    "bought %(label)s once, %(last_days)s days ago; customers buy it again about every "
                    "%(every_days)s days"
                )
                % figures
            )
        if code == "cross_sell":
            return (
                ngettext(
                    "often bought with %(with)s: %(confidence)s%% of baskets with it, %(lift)s× more than "
                    "usual (%(together)s basket)",
                    "often bought with %(with)s: %(confidence)s%% of baskets with it, %(lift)s× more than "
                    "usual (%(together)s baskets)",
                    int(figures.get("together", 0)),
                )
                % figures
            )
        if code == "diversity":
            return (
                _("something new: the %(family)s family, never bought, within their usual prices") % figures
            )
    except (KeyError, TypeError, ValueError):
        pass
    return _("suggested from their purchases")
