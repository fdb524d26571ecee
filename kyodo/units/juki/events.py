"""The events the resident registry publishes on the linkage hub (データ連携基盤).

Declared here, collected by the hub's catalogue; other units subscribe to them, never import
this unit. Items are the data a subscriber may read; 個人番号 is deliberately not among them.
"""

from __future__ import annotations

from kyodo.linkage.catalogue import declare

PUBLISHER = "juki"
PERSON = {
    "atena_no": "宛名番号",
    "household_no": "世帯番号",
    "idou_kind": "異動事由",
    "idou_date": "異動日",
    "birth_date": "生年月日",
    "sex": "性別 (1 男, 2 女)",
    "relationship": "世帯主との続柄",
    "nationality": "国籍・地域",
}
ADDRESS = {"postal_code": "郵便番号", "town": "町字", "banchi": "番地", "katagaki": "方書"}

EVENTS = {
    "juki.moved_in": (
        "転入・職権記載: a person became a resident",
        {**PERSON, **ADDRESS, "previous_address": "転入前住所"},
    ),
    "juki.moved_within": (
        "転居: a resident's address changed",
        {**PERSON, **ADDRESS, "before_move_address": "異動前住所"},
    ),
    "juki.moved_out": (
        "転出・国外転出: a resident left (as of the 消除日)",
        {**PERSON, "destination_address": "転出先住所", "shojo_date": "消除日"},
    ),
    "juki.born": ("出生: a child became a resident", {**PERSON, **ADDRESS}),
    "juki.died": ("死亡: a resident died (as of the 消除日)", {**PERSON, "shojo_date": "消除日"}),
    "juki.household_changed": ("世帯分離・合併・世帯主変更", PERSON),
    "juki.corrected": (
        "職権修正・消除・異動の取消し: items of a record changed",
        {**PERSON, "status": "住民状態"},
    ),
}


def declare_events() -> None:
    for name, (description, items) in EVENTS.items():
        declare(name, publisher=PUBLISHER, items=items, description=description)
