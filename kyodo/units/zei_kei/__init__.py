"""軽自動車税 種別割 (light vehicle tax): 車両の登録, 当初課税 on 4月1日, 納税通知書 (issue 5)."""
