#!/usr/bin/env bash
# Builds (once) the testbed's kube-apiserver and etcd from the Go module proxy and
# prints the directory holding both on its last line. Honours the envtest convention:
# if KUBEBUILDER_ASSETS holds kube-apiserver and etcd, those are used and nothing is built.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# helm, for the chart tests, is built by the same step (even with KUBEBUILDER_ASSETS). Not
# fatal, and not waited for while another run builds it: only the chart tests need it, and
# they run build-helm.sh again (waiting for that build, or failing loudly).
bash "$here/build-helm.sh" --if-free >/dev/null || echo "warning: helm could not be built; the chart tests will say why" >&2

if [[ -n "${KUBEBUILDER_ASSETS:-}" && -x "${KUBEBUILDER_ASSETS}/kube-apiserver" && -x "${KUBEBUILDER_ASSETS}/etcd" ]]; then
  echo "using KUBEBUILDER_ASSETS=${KUBEBUILDER_ASSETS}" >&2
  echo "${KUBEBUILDER_ASSETS}"
  exit 0
fi

k8s_version=$(sed -n 's/^require k8s.io\/kubernetes \(v[0-9.]*\)$/\1/p; s/^\tk8s.io\/kubernetes \(v[0-9.]*\)$/\1/p' "$here/kube-apiserver/go.mod" | head -n1)
etcd_version=$(sed -n 's/^require go.etcd.io\/etcd\/server\/v3 \(v[0-9.]*\)$/\1/p' "$here/etcd/go.mod" | head -n1)
[[ -n "$k8s_version" && -n "$etcd_version" ]] || { echo "build.sh: cannot read versions from go.mod files" >&2; exit 1; }

out="${FLEETDECK_TESTBIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fleetdeck/testbin/k8s-${k8s_version}-etcd-${etcd_version}}"
mkdir -p "$out"
export CGO_ENABLED=0 GOFLAGS=-mod=mod

build() { # name dir ldflags
  local name=$1 dir=$2 ldflags=$3
  if [[ -x "$out/$name" ]]; then return; fi
  echo "building $name into $out (once; later runs reuse it)" >&2
  local start=$SECONDS
  (cd "$dir" && go build -trimpath -ldflags "$ldflags" -o "$out/.$name.tmp" .)
  # Rename only a complete binary, so an interrupted build never leaves half a file.
  mv "$out/.$name.tmp" "$out/$name"
  echo "built $name in $((SECONDS - start)) s" >&2
}

minor=${k8s_version#v1.}; minor=${minor%%.*}
build_date=$(date -u -d @"${SOURCE_DATE_EPOCH:-0}" +%Y-%m-%dT%H:%M:%SZ)
k8s_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  k8s_ldflags+=" -X $pkg.gitVersion=${k8s_version} -X $pkg.gitMajor=1 -X $pkg.gitMinor=${minor}"
  k8s_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=${build_date} -X $pkg.gitCommit=module-proxy-${k8s_version}"
done
build etcd "$here/etcd" "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=module-proxy-${etcd_version}"
build kube-apiserver "$here/kube-apiserver" "$k8s_ldflags"

# prom-label-proxy: the reference the health panels' label enforcement is compared with.
# Optional: a failure here is reported, not fatal, since only that differential test needs it.
plp_version=v0.11.1
if [[ ! -x "$out/prom-label-proxy-${plp_version}" ]]; then
  echo "building prom-label-proxy ${plp_version} (once)" >&2
  if GOBIN="$out/.plp" go install "github.com/prometheus-community/prom-label-proxy@${plp_version}" >&2; then
    mv "$out/.plp/prom-label-proxy" "$out/prom-label-proxy-${plp_version}"
  else
    echo "warning: prom-label-proxy ${plp_version} could not be built; its differential test will say so" >&2
  fi
  rm -rf "$out/.plp"
fi
echo "$out"
