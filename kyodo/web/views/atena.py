"""宛名 screens and JSON API: search and detail, within the clerk's own municipality."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from kyodo.atena.models import Person
from kyodo.atena.selectors import person_get, person_search
from kyodo.platform.accounts.access import unit_required
from kyodo.platform.errors import NotFound
from kyodo.web.forms import PersonSearchForm

PURPOSE_SCREEN = "窓口照会"


def _person_json(person: Person) -> dict[str, Any]:
    household = person.household
    return {
        "atena_no": person.atena_no,
        "family_name": person.family_name,
        "given_name": person.given_name,
        "family_kana": person.family_kana,
        "given_kana": person.given_kana,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "relationship": person.relationship,
        "household_no": household.household_no if household else None,
        "address": {
            "postal_code": household.postal_code,
            "town": household.town,
            "banchi": household.banchi,
            "katagaki": household.katagaki,
        }
        if household
        else None,
    }


def _get(atena_no: int, purpose: str) -> Person:
    try:
        return person_get(atena_no=atena_no, purpose=purpose)
    except NotFound as exc:
        raise Http404(exc.reason) from exc


@unit_required("atena", "view")
def person_list_view(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    persons = person_search(query=query, purpose=PURPOSE_SCREEN) if query else []
    return render(
        request, "kyodo/person_list.html", {"form": form, "persons": persons, "query": query}
    )


@unit_required("atena", "view")
def person_detail_view(request: HttpRequest, atena_no: int) -> HttpResponse:
    person = _get(atena_no, request.GET.get("purpose") or PURPOSE_SCREEN)
    return render(request, "kyodo/person_detail.html", {"person": person})


@unit_required("atena", "view")
def person_list_api(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "")[:60]
    found = person_search(query=query, purpose=request.GET.get("purpose", "API照会"))
    return JsonResponse({"results": [_person_json(p) for p in found]})


@unit_required("atena", "view")
def person_detail_api(request: HttpRequest, atena_no: int) -> JsonResponse:
    return JsonResponse(_person_json(_get(atena_no, request.GET.get("purpose", "API照会"))))
