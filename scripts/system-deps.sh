#!/usr/bin/env bash
# Debian packages Kyodo needs beyond Python: installed only when missing (needs root).
#   fonts-ipamj-mincho  IPAmj明朝, every MJ character of names, with IVS (certificates)
#   poppler-utils       pdftotext/pdftoppm (tests read the certificates they render)
#   chromium            the counter screens' browser tests (Playwright drives Debian's chromium)
#   zbar-tools          zbarimg: the tests decode the payment slips' barcodes and QR codes
#   age                 encrypts backups (kyodo backup) to the operators' public keys
#   rsync               ships backups to a second location (kyodo backup ship)
set -euo pipefail
need=()
[ -f /usr/share/fonts/truetype/ipamj/ipamjm.ttf ] || need+=(fonts-ipamj-mincho)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v age >/dev/null || need+=(age)
command -v rsync >/dev/null || need+=(rsync)
if [ "${1:-}" = "--test" ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v zbarimg >/dev/null || need+=(zbar-tools)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "Missing Debian packages: ${need[*]} — install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
