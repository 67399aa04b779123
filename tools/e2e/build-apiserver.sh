#!/usr/bin/env bash
# Builds the binaries the e2e suite runs (kube-apiserver v1.20.2, etcd 3.4, kubectl 1.20) from Debian bookworm's
# packages only, into a cache outside the clone. Recipe and its reasons: the project note
# "real-kube-apiserver.md" (GOPATH mode, generated openapi, reflect2 1.0.2).
# Idempotent: when the cache is complete it prints its path and exits at once.
# Nothing is installed and the system's apt sources are untouched: apt runs with a private configuration and
# every package is extracted with dpkg-deb -x. Prints the cache directory as its last line on stdout.
set -euo pipefail

CACHE="${KIAC_E2E_CACHE:-$HOME/.cache/kube-ingress-aws-controller-e2e}"
BIN="$CACHE/bin"
STAMP="$BIN/.complete-v1"
KUBE_VERSION=v1.20.2

if [[ -f "$STAMP" && -x "$BIN/kube-apiserver" && -x "$BIN/etcd" && -x "$BIN/kubectl" ]]; then
  echo "$CACHE"
  exit 0
fi

log() { echo "build-apiserver: $*" >&2; }
started=$(date +%s)
mkdir -p "$BIN" "$CACHE/apt/lists/partial" "$CACHE/apt/cache/archives/partial" "$CACHE/debs" "$CACHE/root"

# A private apt: its own source list, lists and caches; the system's status file is only read.
cat >"$CACHE/apt/sources.list" <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian-security bookworm-security main
deb-src http://deb.debian.org/debian-security bookworm-security main
EOF
APT_OPTS=(
  -o "Dir::Etc::sourcelist=$CACHE/apt/sources.list"
  -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::Lists=$CACHE/apt/lists"
  -o "Dir::Cache=$CACHE/apt/cache"
  -o "APT::Sandbox::User=root"
  -o "Debug::NoLocking=1"
)
if [[ ! -f "$CACHE/apt/.updated" ]]; then
  log "apt-get update (private lists)"
  apt-get "${APT_OPTS[@]}" -qq update >&2
  touch "$CACHE/apt/.updated"
fi

# Binary packages, extracted, never installed. Go comes as golang-1.19-go + golang-1.19-src (GOROOT relocated).
DEBS=(etcd-server kubernetes-client golang-1.19-go golang-1.19-src golang-github-modern-go-reflect2-dev)
(
  cd "$CACHE/debs"
  for pkg in "${DEBS[@]}"; do
    if ! ls "${pkg}"_*.deb >/dev/null 2>&1; then
      log "apt-get download $pkg"
      apt-get "${APT_OPTS[@]}" -qq download "$pkg" >&2
    fi
  done
  for deb in *.deb; do
    dpkg-deb -x "$deb" "$CACHE/root"
  done
)
ROOT="$CACHE/root"
install -m 0755 "$ROOT/usr/bin/etcd" "$BIN/etcd"
install -m 0755 "$ROOT/usr/bin/kubectl" "$BIN/kubectl"

export GOROOT="$ROOT/usr/lib/go-1.19"
# The -go package links its src to the -src package's absolute /usr/share path; point it at the extracted one.
if [[ -L "$GOROOT/src" ]]; then
  rm "$GOROOT/src"
  ln -s "$ROOT/usr/share/go-1.19/src" "$GOROOT/src"
fi
for d in "$GOROOT"/*; do
  # Other absolute links into /usr/share/go-1.19 (test, misc, api...) as well.
  if [[ -L "$d" ]]; then
    target=$(readlink "$d")
    if [[ "$target" == /usr/share/go-1.19/* ]]; then
      rm "$d"
      ln -s "$ROOT$target" "$d"
    fi
  fi
done
GO="$GOROOT/bin/go"
"$GO" version >&2

# Source: the orig tarball of Debian's kubernetes source package is the full upstream tree with vendor/.
SRC_DL="$CACHE/src-download"
mkdir -p "$SRC_DL"
if ! ls "$SRC_DL"/kubernetes_*.orig.tar.gz >/dev/null 2>&1; then
  log "apt-get source --download-only kubernetes"
  (cd "$SRC_DL" && apt-get "${APT_OPTS[@]}" -qq source --download-only kubernetes >&2)
fi
export GOPATH="$CACHE/gopath"
TREE="$GOPATH/src/k8s.io/kubernetes"
if [[ ! -f "$TREE/.unpacked" ]]; then
  log "unpacking the kubernetes tree"
  rm -rf "$TREE"
  mkdir -p "$TREE"
  tar -xzf "$SRC_DL"/kubernetes_*.orig.tar.gz -C "$TREE" --strip-components=1
  # reflect2 1.0.1 crashes when built by Go >= 1.18; Debian's 1.0.2 is API-compatible.
  rm -rf "$TREE/vendor/github.com/modern-go/reflect2"
  cp -r "$ROOT/usr/share/gocode/src/github.com/modern-go/reflect2" "$TREE/vendor/github.com/modern-go/reflect2"
  touch "$TREE/.unpacked"
fi

export GO111MODULE=off GOPROXY=off GOFLAGS= CGO_ENABLED=0
export GOCACHE="$CACHE/go-build-cache"
cd "$TREE"

OPENAPI="pkg/generated/openapi/zz_generated.openapi.go"
# A marker rather than the file itself: an interrupted generator leaves a partial file behind.
if [[ ! -f "$TREE/.openapi-generated" ]]; then
  log "generating $OPENAPI"
  find -H . \( -not \( \( -path ./_\* -o -path ./.\* -o -path ./vendor \) -prune \) \) -type f -name '*.go' \
    | xargs grep -l '^// *+k8s:' | xargs grep -l '+k8s:openapi-gen=' \
    | sed 's|^./staging/src|vendor|; s|^./||' | xargs -n1 dirname | LC_ALL=C sort -u \
    | grep -v -e '^vendor/k8s.io/code-generator/' -e '^vendor/k8s.io/sample-apiserver/' >"$CACHE/openapi-dirs.txt"
  "$GO" build -p 2 -o "$CACHE/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen
  "$CACHE/openapi-gen" --logtostderr -i "$(sed 's|^|k8s.io/kubernetes/|' "$CACHE/openapi-dirs.txt" | paste -sd,)" \
    -p k8s.io/kubernetes/pkg/generated/openapi -O zz_generated.openapi \
    -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt -r "$CACHE/openapi-violations.report" >&2
  touch "$TREE/.openapi-generated"
fi

LDFLAGS=""
for pkg in k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version k8s.io/kubernetes/vendor/k8s.io/component-base/version; do
  LDFLAGS+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=20 -X $pkg.gitTreeState=clean"
done
log "go build kube-apiserver (a few minutes cold)"
"$GO" build -p 2 -ldflags "-s -w$LDFLAGS" -o "$BIN/kube-apiserver.tmp" ./cmd/kube-apiserver
mv "$BIN/kube-apiserver.tmp" "$BIN/kube-apiserver"

touch "$STAMP"
log "done in $(($(date +%s) - started)) s"
echo "$CACHE"
