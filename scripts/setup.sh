#!/usr/bin/env bash
# One-shot set-up on a fresh Debian 12 machine with Python 3.11:
# system packages (LibreOffice for legacy Office, Ghostscript for EPS, CJK fonts,
# Redis for the distributed runner tests, PostgreSQL for the database tests) and a virtualenv in .venv with docrecon
# and every extra installed in editable mode.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui
  ghostscript fonts-noto-cjk fonts-wqy-zenhei fonts-dejavu-core
  redis-server postgresql
  chromium
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
# constraints.txt holds the versions the tests last passed with (DOCRECON_UNPINNED=1 takes the newest).
CONSTRAINTS=(-c constraints.txt)
[ -n "${DOCRECON_UNPINNED:-}" ] && CONSTRAINTS=()
.venv/bin/python -m pip install -q "${CONSTRAINTS[@]}" -e ".[all,dev]"
# rapid-layout pulls in the full opencv-python next to opencv-python-headless; both ship cv2, so
# drop the full one and reinstall the headless one over the files they shared (about 120 MB less).
VENV_PY=${VENV_PY:-.venv/bin/python}
if "$VENV_PY" -m pip show -q opencv-python >/dev/null 2>&1; then
  headless=$("$VENV_PY" -c 'import importlib.metadata as m; print(m.version("opencv-python-headless"))')
  "$VENV_PY" -m pip uninstall -q -y opencv-python
  "$VENV_PY" -m pip install -q --force-reinstall --no-deps "opencv-python-headless==$headless"
fi
echo "docrecon set up in .venv"
