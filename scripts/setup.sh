#!/usr/bin/env bash
# One-shot set-up on a fresh Debian 12 machine with Python 3.11:
# system packages (LibreOffice for legacy Office, Ghostscript for EPS, CJK fonts,
# Redis for the distributed runner tests) and a virtualenv in .venv with docrecon
# and every extra installed in editable mode.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui
  ghostscript fonts-noto-cjk fonts-wqy-zenhei fonts-dejavu-core
  redis-server
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[all,dev]"
echo "docrecon set up in .venv"
