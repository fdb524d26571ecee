"""費用按分: splitting a consortium's shared cost among its members (``kyodo alloc``).

Pure: the agreed formula and the members' figures in, every member's share and why out. The
rules are those the consortia in the reference materials agreed on (seed: 富山県 — 均等割：人口割
= 3：7 with a guaranteed 3割 saving and a lease-termination penalty borne by all; 新潟県三条市 他
— 最低削減率, 人口と機能による按分割合, 最大データ移行費に基づく按分割合):

- :mod:`.request` reads and checks the input;
- :mod:`.split` does the arithmetic, exactly (fractions), and rounds to the yen only at the end;
- :mod:`.calculate` assembles the result with an explanation per member.
"""

from kyodo.rules.alloc.calculate import calculate

__all__ = ["calculate"]
