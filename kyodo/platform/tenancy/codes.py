"""全国地方公共団体コード (local government code): 6 digits with a check digit.

The first five digits are the prefecture (2) and the municipality (3); the sixth is a check
digit: weights 6,5,4,3,2 over the five digits, sum mod 11, then 11 - r, keeping its last digit
(so r = 0 gives 1 and r = 1 gives 0).
Source: 総務省「全国地方公共団体コード」仕様; worked examples in ../shared/domain/standards.md §2.4.
"""

from __future__ import annotations

from kyodo.platform.errors import ValidationFailed

_WEIGHTS = (6, 5, 4, 3, 2)

PREFECTURES: dict[str, str] = {
    "01": "北海道", "02": "青森県", "03": "岩手県", "04": "宮城県", "05": "秋田県",
    "06": "山形県", "07": "福島県", "08": "茨城県", "09": "栃木県", "10": "群馬県",
    "11": "埼玉県", "12": "千葉県", "13": "東京都", "14": "神奈川県", "15": "新潟県",
    "16": "富山県", "17": "石川県", "18": "福井県", "19": "山梨県", "20": "長野県",
    "21": "岐阜県", "22": "静岡県", "23": "愛知県", "24": "三重県", "25": "滋賀県",
    "26": "京都府", "27": "大阪府", "28": "兵庫県", "29": "奈良県", "30": "和歌山県",
    "31": "鳥取県", "32": "島根県", "33": "岡山県", "34": "広島県", "35": "山口県",
    "36": "徳島県", "37": "香川県", "38": "愛媛県", "39": "高知県", "40": "福岡県",
    "41": "佐賀県", "42": "長崎県", "43": "熊本県", "44": "大分県", "45": "宮崎県",
    "46": "鹿児島県", "47": "沖縄県",
}  # fmt: skip


def check_digit(five_digits: str) -> int:
    """Return the check digit for the first five digits of a local government code."""
    if len(five_digits) != 5 or not five_digits.isascii() or not five_digits.isdigit():
        raise ValueError("expected exactly five ASCII digits")
    total = sum(int(d) * w for d, w in zip(five_digits, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def validate_lg_code(code: str, *, field: str = "code", source: str | None = None) -> str:
    """Validate a 6-digit code and return it; raise ValidationFailed naming the reason."""
    if not isinstance(code, str) or len(code) != 6 or not code.isascii() or not code.isdigit():
        raise ValidationFailed(
            f"全国地方公共団体コードは6桁の数字です (got {code!r})", field=field, source=source
        )
    if code[:2] not in PREFECTURES:
        raise ValidationFailed(
            f"都道府県コード {code[:2]} は存在しません (01〜47)", field=field, source=source
        )
    expected = check_digit(code[:5])
    if int(code[5]) != expected:
        raise ValidationFailed(
            f"検査数字が違います: {code[:5]} の検査数字は {expected} です (got {code[5]})",
            field=field,
            source=source,
        )
    return code


def prefecture_of(code: str) -> str:
    """The prefecture name a municipality's code belongs to."""
    return PREFECTURES[code[:2]]
