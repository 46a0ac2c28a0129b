#!/usr/bin/env bash
# Installs VS Code's server (from the code-server npm package) for the end-to-end tests,
# into a folder outside the project's lockfile. Idempotent: an existing install is kept.
#
#   CODE_SERVER_DIR  where to install (default /opt/auditd-tools-code-server)
#
# code-server 4.100.3 carries VS Code 1.100.3, the newest release that runs on Node 20.
# See test/e2e/README.md for how the tests drive it.
set -euo pipefail

version=4.100.3
dir="${CODE_SERVER_DIR:-/opt/auditd-tools-code-server}"
server_main="$dir/node_modules/code-server/lib/vscode/out/server-main.js"
stamp="$dir/.installed-$version"

if [ -f "$stamp" ] && [ -f "$server_main" ]; then
  echo "code-server $version already installed in $dir"
  exit 0
fi

started=$(date +%s)

# The kerberos native module builds against libkrb5; Debian's ripgrep stands in for the
# binary @vscode/ripgrep would otherwise download.
missing=()
for package in libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev pkg-config ripgrep; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable here.
# Before downloading it looks for this cached tarball and unpacks it instead.
rg_cache=/tmp/vscode-ripgrep-cache-1.15.11
rg_tarball="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$rg_tarball" ]; then
  mkdir -p "$rg_cache"
  tar -czf "$rg_tarball" -C "$(dirname "$(command -v rg)")" rg
fi

mkdir -p "$dir"
if [ ! -f "$dir/package.json" ]; then
  printf '{ "name": "auditd-tools-code-server", "private": true }\n' > "$dir/package.json"
fi

# npm refuses install scripts as root without unsafe_perm; node-pty's postinstall runs
# `npx node-gyp`, which this machine's npm configuration (yes = false) would cancel.
export npm_config_unsafe_perm=true
export npm_config_yes=true
export npm_config_audit=false
export npm_config_fund=false

# The same lock as every other npm install on the machine, so parallel installs do not
# trip over the shared npm cache.
flock /tmp/auditd-tools-npm.lock \
  npm install --prefix "$dir" --loglevel=error "code-server@$version"

if [ ! -f "$server_main" ]; then
  echo "code-server install finished but $server_main is missing" >&2
  exit 1
fi

touch "$stamp"
echo "code-server $version installed in $dir in $(( $(date +%s) - started )) s"
