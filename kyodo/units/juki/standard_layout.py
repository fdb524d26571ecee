"""住民記録 in the standard layouts (issue 6): 異動 and the full-snapshot 住民票 history
(住民記録システム標準仕様書 §1.2.1: one row per person and 履歴番号)."""

from kyodo.layouts.standard import Spec

LAYOUTS = [
    Spec("juki.Idou", file="11_juki_idou", order=110),
    Spec("juki.JuminRecord", file="12_juki_jumin_rireki", order=120),
    Spec("juki.CertificateIssue", file="13_juki_shomei_kofu", order=130),
]
