"""宛名 in the standard layouts (issue 6): the integrated addressee DB's 移行ファイル."""

from kyodo.layouts.standard import Spec

LAYOUTS = [
    Spec(
        "atena.NumberSequence",
        file="01_atena_saiban",
        order=10,
        items={"name": "採番の種類", "last_body": "最後の番号（検査数字を除く）"},
    ),
    Spec("atena.Household", file="02_atena_setai", order=20, check={"household_no": "m11w27"}),
    Spec(
        "atena.Person",
        file="03_atena_kojin",
        order=30,
        items={"my_number": "個人番号"},
        check={"atena_no": "m11w27"},
        secret={"my_number": "my_number"},
        index={"my_number_index": "my_number"},
    ),
    Spec("atena.Block", file="04_atena_shien_sochi", order=40),
    Spec(
        "atena.SearchKey",
        file="05_atena_kensaku_key",
        order=50,
        items={"kind": "検索キーの種類", "key": "検索キー"},
    ),
]
