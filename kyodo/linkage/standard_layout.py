"""The hub in the standard layouts (issue 6): the events that flowed, not the machinery."""

from kyodo.layouts.standard import Spec

LAYOUTS = [
    Spec(
        "linkage.OutboxEvent",
        file="90_renkei_event",
        order=900,
        items={
            "name": "イベント種別",
            "atena_no": "宛名番号",
            "payload": "内容",
            "created_at": "発生日時",
        },
    ),
    Spec(
        "linkage.Delivery",
        excluded="配信状態は連携基盤の運用状態で、移行先では移行済みのイベントを再配信しない",
    ),
    Spec(
        "linkage.ExternalSystem",
        excluded="外部システムの認証情報（トークン・署名鍵）は移行先で発行し直す",
    ),
]
