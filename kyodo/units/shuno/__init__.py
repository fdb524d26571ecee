"""収滞納 (shuno): 調定, 収納 and 滞納 of every municipal tax, and the コンビニ payment slip.

- ``models``: the append-only ledger (調定 and its 更正, 収納, 消込, 過誤納, 還付, 督促).
- ``services``: 調定 creation for the tax units, 消込, 充当・還付, the 督促 batch and the
  payment-file import; ``selectors``: one person's balance across every tax (名寄せ).
- Pure (no Django, no database): ``barcode`` and ``slip`` (the GS1-128 標準料金代理収納 data
  and the 納付書), ``freefield`` (what Kyodo puts in the barcode's free field),
  ``konbini_file`` (the payment-result file layout, docs/formats/konbini-result.md) and
  ``allocation`` (putting money on installments in order).
- ``kyodo shuno …``: ``barcode``, ``chotei-import``, ``import-payments``, ``balance``,
  ``tokusoku``.
"""
