"""収滞納 (shuno): 収納 of taxes and charges — so far the convenience-store payment slip.

``barcode`` builds and reads the 44-digit GS1-128 標準料金代理収納 data and ``slip`` draws a
納付書 carrying it. Both are pure (no Django, no database; an import contract enforces it).
"""
