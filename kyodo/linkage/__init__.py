"""The linkage hub (データ連携基盤): the only path between business units.

Owners declare event types, subscribers declare what they receive (``catalogue``); a change
publishes its events in its own transaction (``outbox``); the dispatcher delivers them at least
once, in order per person, with retries and a dead-letter list (``dispatch``).
"""
