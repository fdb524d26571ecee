"""Platform models. Imported here so Django finds them under the ``platform`` app label."""

from kyodo.platform.models.accounts import Account, BusinessUnitAccess
from kyodo.platform.models.audit import AuditChainHead, AuditRecord
from kyodo.platform.models.base import TenantForeignKey, TenantOwned
from kyodo.platform.models.parameters import TenantParameter
from kyodo.platform.models.tenants import Consortium, Tenant

__all__ = [
    "Account",
    "AuditChainHead",
    "AuditRecord",
    "BusinessUnitAccess",
    "Consortium",
    "Tenant",
    "TenantForeignKey",
    "TenantOwned",
    "TenantParameter",
]
