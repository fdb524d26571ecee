"""The municipality's home per role, and the operator's home."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kyodo.platform.accounts.access import authenticated, can
from kyodo.platform.accounts.units import BUSINESS_UNITS, OPERATIONS

# Screens that exist today, per unit; a unit's card links to its first screen.
UNIT_ENTRY_POINTS = {"atena": "person_list", "juki": "juki_search", "kokuho": "kokuho_worklist"}


@authenticated
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_operator:
        return redirect("operator_tenants")
    cards = []
    for unit, name in BUSINESS_UNITS.items():
        ops = [label for op, label in OPERATIONS.items() if can(user, unit, op)]
        if ops:
            cards.append(
                {
                    "unit": unit,
                    "name": name,
                    "operations": ops,
                    "url_name": UNIT_ENTRY_POINTS.get(unit),
                }
            )
    return render(request, "kyodo/home.html", {"cards": cards})
