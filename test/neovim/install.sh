#!/usr/bin/env bash
# Installs what the Neovim test needs: Debian's neovim package, with apt-get, only when nvim is missing.
#
#   bash test/neovim/install.sh
#
# Environment: SKIP_APT=1 (you installed Neovim yourself; nvim must be on PATH, or NVIM names it).
# Idempotent: a second run only checks the install.
set -euo pipefail

log() { printf '[neovim install] %s\n' "$*" >&2; }

NVIM="${NVIM:-nvim}"
if ! command -v "$NVIM" >/dev/null && [ "${SKIP_APT:-0}" != 1 ]; then
  log "apt-get install neovim"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends neovim >/dev/null
fi
command -v "$NVIM" >/dev/null || { log "nvim not found"; exit 1; }
log "$("$NVIM" --version | head -1)"
