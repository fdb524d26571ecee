"""The business units (業務) roles are granted for, and the operations on each.

The list holds the standardised 業務 Kyodo plans to run (地方公共団体情報システム標準化,
../shared/domain/standards.md) plus Kyodo's own areas (system, atena, shien, shuno,
madoguchi). A unit's code is its package name under
``kyodo/units`` once it exists; roles can be prepared before the unit ships.
"""

from __future__ import annotations

BUSINESS_UNITS: dict[str, str] = {
    "system": "システム管理",
    "atena": "宛名管理",
    # 支援措置: seeing and issuing for persons under DV等支援措置 needs this unit's operations.
    "shien": "支援措置",
    "juki": "住民記録",
    "senkyo": "選挙人名簿管理",
    "zei_kojin": "個人住民税",
    "zei_hojin": "法人住民税",
    "zei_kotei": "固定資産税",
    "zei_kei": "軽自動車税",
    "shuno": "収納",
    "kokuho": "国民健康保険",
    "kokunen": "国民年金",
    "koki": "後期高齢者医療",
    "kaigo": "介護保険",
    "shogai": "障害者福祉",
    "seiho": "生活保護",
    "jidou_teate": "児童手当",
    "jidou_fuyou": "児童扶養手当",
    "kenko": "健康管理",
    "shugaku": "就学",
    "kodomo": "子ども・子育て支援",
    "madoguchi": "総合窓口",
}

# 参照 view, 更新 change, 発行 issue certificates, 管理 manage.
OPERATIONS: dict[str, str] = {"view": "参照", "change": "更新", "issue": "発行", "manage": "管理"}

# What each standard role of a unit holds (roles are cumulative where a counter needs it).
ROLE_OPERATIONS: dict[str, tuple[str, ...]] = {
    "view": ("view",),
    "change": ("view", "change"),
    "issue": ("view", "issue"),
    "manage": ("view", "change", "issue", "manage"),
}


def business_unit_permissions() -> list[tuple[str, str]]:
    return [
        (f"{unit}_{op}", f"{name} {op_name}")
        for unit, name in BUSINESS_UNITS.items()
        for op, op_name in OPERATIONS.items()
    ]


def role_name(unit: str, role: str) -> str:
    """The group name of a standard role, e.g. ``juki.change`` (住民記録 更新)."""
    return f"{unit}.{role}"
