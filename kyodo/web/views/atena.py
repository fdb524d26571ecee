"""宛名 screens: search and detail, within the clerk's own municipality."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kyodo.atena.models import Person
from kyodo.atena.search import Query
from kyodo.atena.selectors import person_find, person_get
from kyodo.platform.accounts.access import unit_required
from kyodo.platform.errors import NotFound
from kyodo.web.forms import PersonSearchForm

PURPOSE_SCREEN = "窓口照会"


def _get(atena_no: int, purpose: str) -> Person:
    try:
        return person_get(atena_no=atena_no, purpose=purpose)
    except NotFound as exc:
        raise Http404(exc.reason) from exc


@unit_required("atena", "view")
def person_list_view(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    persons = person_find(query=Query(text=query), purpose=PURPOSE_SCREEN) if query else []
    return render(
        request, "kyodo/person_list.html", {"form": form, "persons": persons, "query": query}
    )


@unit_required("atena", "view")
def person_detail_view(request: HttpRequest, atena_no: int) -> HttpResponse:
    person = _get(atena_no, request.GET.get("purpose") or PURPOSE_SCREEN)
    return render(request, "kyodo/person_detail.html", {"person": person})
