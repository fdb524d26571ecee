"""協議会 (consortium) management: members joining and leaving, the business units each runs,
the agreed cost formulas, and the invoices and usage figures the secretariat (事務局) sends.

Above the units in the layers: it joins a municipality through the standard-layout import
(:mod:`kyodo.iko`), takes its leave through the export and a verified purge, and reads usage
figures the units keep. Nothing here is personal data; it is the agreement's own record.
"""
