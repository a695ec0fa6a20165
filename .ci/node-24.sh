# Sourced by .ci/run: makes Node 24 (the supported baseline; README, "Node.js 24 LTS or newer") the `node`
# on PATH for the rest of the run.
#
# When the machine's node is older (this machine's /usr/bin/node is 20), the official binary
# comes from the npm registry's node-linux-<arch> package: the registry is the one network source
# CI may use, and npm (which runs on any Node >= 20.17) can fetch it. The package holds bin/node
# and include/node, so native modules (better-sqlite3) are built against the headers of the Node
# that runs them via npm_config_nodedir, without node-gyp downloading headers from nodejs.org.
# The unpacked package is cached between runs (INK_AUTH_NODE_CACHE overrides where; delete it to
# take a newer 24.x).

ink_auth_node_major=24

ink_auth_current_node_major() {
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

if [ "$(ink_auth_current_node_major)" -lt "$ink_auth_node_major" ]; then
  case "$(uname -m)" in
    x86_64) ink_auth_node_arch=x64 ;;
    aarch64 | arm64) ink_auth_node_arch=arm64 ;;
    *) echo "no node-linux package for $(uname -m); install Node $ink_auth_node_major" >&2; exit 1 ;;
  esac
  if ! command -v npm >/dev/null 2>&1; then
    # No Node at all: Debian's npm (with its older nodejs) only serves to fetch Node 24.
    ink_auth_sudo=""
    [ "$(id -u)" = 0 ] || ink_auth_sudo="sudo"
    $ink_auth_sudo apt-get update
    $ink_auth_sudo apt-get install -y npm
  fi
  ink_auth_node_dir="${INK_AUTH_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ink-auth}/node-$ink_auth_node_major-linux-$ink_auth_node_arch"
  if [ ! -x "$ink_auth_node_dir/bin/node" ]; then
    ink_auth_node_tmp="$(mktemp -d)"
    (cd "$ink_auth_node_tmp" && npm pack --silent "node-linux-$ink_auth_node_arch@$ink_auth_node_major" >/dev/null)
    tar -xzf "$ink_auth_node_tmp"/node-linux-*.tgz -C "$ink_auth_node_tmp"
    mkdir -p "$(dirname "$ink_auth_node_dir")"
    rm -rf "$ink_auth_node_dir"
    mv "$ink_auth_node_tmp/package" "$ink_auth_node_dir"
    rm -rf "$ink_auth_node_tmp"
  fi
  export PATH="$ink_auth_node_dir/bin:$PATH"
  hash -r
fi

# Whichever Node runs, build native modules against its own headers when it ships them.
ink_auth_node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
if [ -f "$ink_auth_node_prefix/include/node/node.h" ]; then
  export npm_config_nodedir="$ink_auth_node_prefix"
fi
echo "node $(node -v) ($(command -v node)), npm_config_nodedir=${npm_config_nodedir:-unset}"
