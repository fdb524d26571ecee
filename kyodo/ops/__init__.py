"""Operations: backups in generations, remote copies, the down-recovery (DR) certificate
mode, and the self-check (issue 7)."""
