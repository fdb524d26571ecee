"""An account's permissions: its roles' and its own, read in one query per request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kyodo.platform.accounts.access import can
from kyodo.platform.models import Account

pytestmark = pytest.mark.django_db


def _fresh(account: Account) -> Account:
    return Account.objects.get(pk=account.pk)  # no permission cache


def test_roles_and_own_permissions_in_one_query(make_tenant, make_account) -> None:
    clerk = make_account(make_tenant(), roles=("atena.view",))
    clerk.user_permissions.add(Permission.objects.get(codename="juki_manage"))
    clerk = _fresh(clerk)
    with CaptureQueriesContext(connection) as queries:
        assert can(clerk, "atena", "view")  # from the role
        assert can(clerk, "juki", "manage")  # granted to the account itself
        assert not can(clerk, "zei_kojin", "manage")
    assert len(queries) == 1


def test_an_inactive_or_unprivileged_account_has_none(make_tenant, make_account) -> None:
    tenant = make_tenant()
    idle = make_account(tenant, roles=("atena.view",))
    Account.objects.filter(pk=idle.pk).update(is_active=False)
    assert not can(_fresh(idle), "atena", "view")
    assert not can(_fresh(make_account(tenant)), "atena", "view")
