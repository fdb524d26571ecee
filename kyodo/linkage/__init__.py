"""The linkage hub (データ連携基盤): the only path between business units."""
