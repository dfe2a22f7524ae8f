#!/usr/bin/env bash
# Builds (once) helm from the Go module proxy, like the testbed's kube-apiserver and etcd,
# into the same cache, and prints the binary's path on its last line. The chart tests
# (bff/test/integration/helm-*.test.ts) lint, render and apply deploy/helm/ with it.
# HELM_BINARY, when it names an executable, is used instead (as KUBEBUILDER_ASSETS is for
# the API server).
#
# One build at a time: a second caller waits for the first (a lock), or with --if-free
# (the testbed's start) returns at once and leaves the build to whoever holds the lock.
set -euo pipefail

helm_version=v4.3.1
if [[ -n "${HELM_BINARY:-}" && -x "${HELM_BINARY}" ]]; then
  echo "using HELM_BINARY=${HELM_BINARY}" >&2
  echo "${HELM_BINARY}"
  exit 0
fi

out="${XDG_CACHE_HOME:-$HOME/.cache}/fleetdeck/testbin/helm-${helm_version}"
bin="$out/helm"
if [[ ! -x "$bin" ]]; then
  mkdir -p "$out"
  exec 9>"$out/.lock"
  if [[ "${1:-}" == "--if-free" ]]; then
    if ! flock -n 9; then
      echo "helm ${helm_version} is being built by another run; not waiting" >&2
      exit 0
    fi
  else
    flock 9
  fi
fi
if [[ ! -x "$bin" ]]; then
  echo "building helm ${helm_version} into $out (once; later runs reuse it)" >&2
  start=$SECONDS
  pkg=helm.sh/helm/v4/internal/version
  # `go install module@version` verifies the module against the checksum database; the
  # ldflags give `helm version` the release's own answer, as the project's Makefile does.
  CGO_ENABLED=0 GOFLAGS=-mod=mod GOBIN="$out/.tmp.$$" go install -trimpath \
    -ldflags "-s -w -X ${pkg}.version=${helm_version} -X ${pkg}.gitTreeState=clean -X ${pkg}.gitCommit=module-proxy-${helm_version}" \
    "helm.sh/helm/v4/cmd/helm@${helm_version}" >&2
  # Rename only a complete binary, so an interrupted build never leaves half a file.
  mv "$out/.tmp.$$/helm" "$bin"
  rm -rf "$out/.tmp.$$"
  echo "built helm in $((SECONDS - start)) s" >&2
fi
echo "$bin"
