#!/usr/bin/env bash
# Re-fetches the web UI's vendored JavaScript libraries from the npm registry, at the pinned
# versions below, checks each package against its pinned sha512 (the registry's "integrity"), and
# copies the few dist files the UI serves, with their licences, into the starter's resources.
#
# The files are committed: building or using the starter never needs Node or npm. Run this only to
# change a version (update VERSION and INTEGRITY together, from `npm view <pkg>@<version> dist.integrity`),
# then rebuild and look at the run and approval pages. Needs npm, tar, sha512sum and base64.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
target="$here/../resources/META-INF/portal/ui/vendor"

# package  version  integrity  folder  files (inside the package)...
packages=(
  "bpmn-js|18.31.1|sha512-Hc7LzrgwfcBRUAdI/380Q2v1MJ115atGEVGadawLfDbHdo+r+IkmNj8fuYPFmWglUYt1KYIaC46OeX16HGTKQw==|bpmn-js|LICENSE dist/bpmn-navigated-viewer.production.min.js dist/assets/diagram-js.css dist/assets/bpmn-js.css"
  "@bpmn-io/form-js|1.23.0|sha512-C5IQiejaeBv5rhhpr9DuyCaPcV8iRAhu0kXxA4RoLgp0l4dwOaqLWm1T8Blw99morRlIGadQoQZaVUE9C/pN3w==|form-js|LICENSE dist/form-viewer.umd.js dist/assets/form-js.css"
)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for entry in "${packages[@]}"; do
  IFS='|' read -r name version integrity folder files <<<"$entry"
  echo "$name@$version"
  tarball="$(cd "$work" && npm pack --silent "$name@$version")"
  actual="sha512-$(sha512sum "$work/$tarball" | cut -d' ' -f1 | xxd -r -p | base64 -w0)"
  if [[ "$actual" != "$integrity" ]]; then
    echo "  integrity mismatch: expected $integrity, got $actual" >&2
    exit 1
  fi
  mkdir -p "$work/$folder"
  tar -xzf "$work/$tarball" -C "$work/$folder"
  rm -rf "${target:?}/$folder"
  mkdir -p "$target/$folder"
  for file in $files; do
    cp "$work/$folder/package/$file" "$target/$folder/$(basename "$file")"
    echo "  $(basename "$file")"
  done
  printf '%s@%s\n%s\n' "$name" "$version" "$integrity" >"$target/$folder/VERSION"
done
