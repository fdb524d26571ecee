"""URLs of the web shell. Every view declares who may use it (see platform.accounts.access)."""

from django.urls import path

from kyodo.web.api.v1 import api
from kyodo.web.views import atena, auth, health, home, juki, kokuho, kyogikai, madoguchi, operator

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("i18n/setlang/", auth.set_language, name="set_language"),
    path("account/totp/", auth.totp, name="totp"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("operator/tenants/", operator.tenants, name="operator_tenants"),
    path("operator/tenants/switch/", operator.tenant_switch, name="operator_tenant_switch"),
    path("operator/accounts/", operator.accounts, name="operator_accounts"),
    path("operator/linkage/", operator.linkage_catalog, name="operator_linkage"),
    path("kyogikai/", kyogikai.member_list, name="kyogikai_members"),
    path("kyogikai/members/<int:member_id>/", kyogikai.member_detail, name="kyogikai_member"),
    path("kyogikai/formulas/", kyogikai.formulas, name="kyogikai_formulas"),
    path("kyogikai/periods/", kyogikai.periods, name="kyogikai_periods"),
    path("kyogikai/periods/<int:period_id>/", kyogikai.period_detail, name="kyogikai_period"),
    path("kyogikai/periods/<int:period_id>/issue/", kyogikai.period_issue, name="kyogikai_issue"),
    path(
        "kyogikai/periods/<int:period_id>/invoices.csv",
        kyogikai.period_csv,
        name="kyogikai_invoices_csv",
    ),
    path(
        "kyogikai/periods/<int:period_id>/invoices.pdf",
        kyogikai.period_pdf,
        name="kyogikai_invoices_pdf",
    ),
    path("kyogikai/invoices/<int:invoice_id>.pdf", kyogikai.invoice_pdf, name="kyogikai_invoice"),
    path("atena/persons/", atena.person_list_view, name="person_list"),
    path("atena/persons/<int:atena_no>/", atena.person_detail_view, name="person_detail"),
    path("juki/", juki.search, name="juki_search"),
    path("juki/move-in/", juki.move_in, name="juki_move_in"),
    path("juki/persons/<int:atena_no>/", juki.person, name="juki_person"),
    path("juki/persons/<int:atena_no>/move-out/", juki.move_out, name="juki_move_out"),
    path("juki/persons/<int:atena_no>/death/", juki.death, name="juki_death"),
    path("juki/persons/<int:atena_no>/certificate/", juki.certificate, name="juki_certificate"),
    path("kokuho/", kokuho.worklist, name="kokuho_worklist"),
    path("kokuho/persons/<int:atena_no>/", kokuho.person, name="kokuho_person"),
    path("kokuho/persons/<int:atena_no>/confirm/", kokuho.confirm, name="kokuho_confirm"),
    path("kokuho/persons/<int:atena_no>/acquire/", kokuho.acquire, name="kokuho_acquire"),
    path("kokuho/persons/<int:atena_no>/lose/", kokuho.lose, name="kokuho_lose"),
    path(
        "madoguchi/households/<int:household_no>/", madoguchi.household, name="madoguchi_household"
    ),
    path(
        "madoguchi/households/<int:household_no>/accept/",
        madoguchi.accept,
        name="madoguchi_accept",
    ),
    path(
        "madoguchi/households/<int:household_no>/accepted/",
        madoguchi.accepted,
        name="madoguchi_accepted",
    ),
    path(
        "madoguchi/households/<int:household_no>/applications.pdf",
        madoguchi.applications,
        name="madoguchi_applications",
    ),
    path("api/v1/", api.urls),
]
